"""The bill run outside a transaction (the command, the Celery task) reads and prices the next batch on
a second connection while the current one is written. It must keep every guarantee of the run in turn:
each bill once, resume after the cursor, and never trust a batch read before the lock blindly."""

import datetime

import pytest
from django.db import transaction
from django.db.models import Sum

from billing.billrun import _lock_run, _pipelined, _prepare, _Prices, _write, run_bill_run
from billing.models import Bill, BillLine, BillRun
from billing.tariffs import tariffs_in_force
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.billing import BillFactory, MeterReadingFactory, TariffFactory

JAN = datetime.date(2026, 1, 1)
outside_a_transaction = pytest.mark.django_db(transaction=True)


@pytest.fixture
def connections():
    TariffFactory()
    return [MeterReadingFactory().connection for _ in range(6)]


@pytest.mark.usefixtures("connections")
@pytest.mark.postgres
@outside_a_transaction
def test_every_connection_is_billed_once_with_its_lines():
    ServiceConnectionFactory()  # no reading: estimated
    summary = run_bill_run(JAN, batch_size=2)
    assert (summary.created, summary.estimated, summary.skipped) == (7, 1, 0)
    assert Bill.objects.filter(period=JAN).count() == 7
    assert BillLine.objects.values("bill").distinct().count() == 7
    assert BillLine.objects.aggregate(s=Sum("amount"))["s"] == Bill.objects.aggregate(s=Sum("total"))["s"]
    run = BillRun.objects.get(period=JAN)
    assert (run.status, run.created, run.estimated) == (BillRun.Status.FINISHED, 7, 1)


@pytest.mark.postgres
@outside_a_transaction
def test_a_resumed_run_continues_after_its_cursor(connections):
    BillFactory(connection=connections[0], period=JAN)
    BillRun.objects.create(period=JAN, last_connection_id=connections[0].pk, created=1)
    summary = run_bill_run(JAN, batch_size=2)
    assert (summary.resumed, summary.created, summary.skipped) == (True, 5, 0)
    assert BillRun.objects.get(period=JAN).created == 6


@pytest.mark.postgres
@outside_a_transaction
def test_a_second_run_creates_nothing(connections):
    run_bill_run(JAN, batch_size=4)
    second = run_bill_run(JAN, batch_size=4)
    assert (second.created, second.skipped) == (0, 6)
    assert Bill.objects.count() == 6


@pytest.mark.postgres
@outside_a_transaction
def test_a_batch_read_behind_the_cursor_of_a_concurrent_run_is_read_again_under_the_lock(connections):
    # A concurrent run billed the first three connections after this run read its first batch.
    for connection in connections[:3]:
        BillFactory(connection=connection, period=JAN)
    BillRun.objects.create(period=JAN, last_connection_id=connections[2].pk, created=3)
    batches = list(_pipelined(JAN, 0, 2, _Prices(tariffs_in_force(JAN))))
    # Read again from the cursor, the first three are not even looked at (a stale batch would skip them).
    assert sum(batch.skipped for batch in batches) == 0
    assert sum(batch.created for batch in batches) == 3
    assert Bill.objects.filter(period=JAN).count() == 6


@pytest.mark.django_db
def test_a_bill_made_after_its_batch_was_read_is_dropped_when_written_not_duplicated(connections):
    BillRun.objects.create(period=JAN)
    batch = _prepare(JAN, 0, 10, _Prices(tariffs_in_force(JAN)))
    BillFactory(connection=connections[3], period=JAN, total=50000)
    with transaction.atomic():
        _write(_lock_run(JAN), batch, recheck=True)
    assert (batch.summary.created, batch.summary.skipped) == (5, 1)
    assert Bill.objects.filter(connection=connections[3], period=JAN).count() == 1
    assert BillRun.objects.get(period=JAN).total_amount == 5 * 50000
