"""Which connections a batch of the bill run skips as already billed: the check is a range over the
batch's connection ids, so it must hold at both ends of the range and for bills made outside any run."""

import datetime

import pytest

from billing.billrun import run_bill_run
from billing.models import Bill, BillRun
from tests.factories.billing import BillFactory, MeterReadingFactory, TariffFactory

pytestmark = pytest.mark.django_db
JAN = datetime.date(2026, 1, 1)


@pytest.fixture
def connections():
    TariffFactory()
    return [MeterReadingFactory().connection for _ in range(5)]


def test_a_fresh_run_skips_a_connection_billed_outside_any_run(connections):
    BillFactory(connection=connections[2], period=JAN)
    summary = run_bill_run(JAN, batch_size=2)
    assert (summary.created, summary.skipped) == (4, 1)
    assert Bill.objects.filter(period=JAN).count() == 5


def test_the_first_and_last_connection_of_a_batch_are_both_recognised_as_billed(connections):
    for connection in (connections[0], connections[2]):
        BillFactory(connection=connection, period=JAN)
    summary = run_bill_run(JAN, batch_size=3)
    assert (summary.created, summary.skipped) == (3, 2)
    assert Bill.objects.filter(period=JAN).count() == 5


def test_bills_of_other_periods_do_not_count_as_billed(connections):
    BillFactory(connection=connections[1], period=datetime.date(2025, 12, 1))
    BillFactory(connection=connections[3], period=datetime.date(2026, 2, 1))
    assert run_bill_run(JAN, batch_size=2).created == 5


def test_a_resumed_run_skips_bills_made_outside_it_beyond_its_cursor(connections):
    BillRun.objects.create(period=JAN, last_connection_id=connections[0].pk)
    BillFactory(connection=connections[0], period=JAN)
    BillFactory(connection=connections[4], period=JAN)
    summary = run_bill_run(JAN, batch_size=2)
    assert (summary.resumed, summary.created, summary.skipped) == (True, 3, 1)
    assert BillRun.objects.get(period=JAN).created == 3
