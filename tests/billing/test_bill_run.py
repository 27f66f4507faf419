import datetime

import pytest
from django.core.management import call_command

from accounts.models import ServiceConnection
from billing.billrun import estimate_usage, run_bill_run
from billing.models import Bill, BillLine, BillRun
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.billing import BillFactory, MeterReadingFactory, TariffFactory

pytestmark = pytest.mark.django_db
JAN = datetime.date(2026, 1, 1)


@pytest.fixture
def tariff():
    return TariffFactory()


def test_a_connection_with_a_reading_gets_its_bill_with_the_computed_lines(tariff):
    reading = MeterReadingFactory(previous_reading=85, reading=100)
    run_bill_run(JAN)
    bill = Bill.objects.get(connection=reading.connection, period=JAN)
    assert (bill.usage, bill.estimated, bill.previous_reading, bill.current_reading) == (15, False, 85, 100)
    # 10 × 2.000 + 5 × 3.000 + beban 10.000 + admin 5.000
    assert bill.total == 50000
    assert bill.total == sum(bill.lines.values_list("amount", flat=True))
    assert bill.due_date == datetime.date(2026, 1, 20)
    assert bill.status == Bill.Status.OPEN
    assert list(bill.lines.order_by("position").values_list("kind", flat=True)) == [
        BillLine.Kind.USAGE,
        BillLine.Kind.USAGE,
        BillLine.Kind.FIXED,
        BillLine.Kind.ADMIN,
    ]


def test_a_connection_without_a_reading_is_billed_the_average_of_its_last_three_months(tariff):
    connection = ServiceConnectionFactory()
    for month, usage in ((10, 12), (11, 15), (12, 20)):
        BillFactory(connection=connection, tariff=tariff, period=datetime.date(2025, month, 1), usage=usage)
    summary = run_bill_run(JAN)
    bill = Bill.objects.get(connection=connection, period=JAN)
    assert (bill.usage, bill.estimated) == (16, True)  # (12 + 15 + 20) / 3 = 15.67 → 16
    assert summary.estimated == 1


def test_the_estimate_rounds_half_up_and_is_zero_without_history():
    assert estimate_usage(31, 2) == 16
    assert estimate_usage(30, 2) == 15
    assert estimate_usage(0, 0) == 0


def test_a_flagged_reading_is_held_back_for_review_not_billed(tariff):
    reading = MeterReadingFactory(previous_reading=100, reading=90, usage=None, flagged=True)
    summary = run_bill_run(JAN)
    assert summary.flagged == 1
    assert not Bill.objects.filter(connection=reading.connection).exists()


def test_closed_and_disconnected_connections_are_not_billed(tariff):
    ServiceConnectionFactory(status=ServiceConnection.Status.CLOSED)
    ServiceConnectionFactory(status=ServiceConnection.Status.DISCONNECTED)
    assert run_bill_run(JAN).created == 0


def test_a_second_run_creates_nothing_and_says_so(tariff, capsys):
    MeterReadingFactory()
    ServiceConnectionFactory()
    first = run_bill_run(JAN)
    second = run_bill_run(JAN)
    assert (first.created, second.created, second.skipped) == (2, 0, 2)
    assert Bill.objects.count() == 2
    call_command("run_billing", "2026-01", "--no-progress")
    assert "Nothing new" in capsys.readouterr().out


def test_an_interrupted_run_resumes_after_its_last_batch(tariff):
    first, second, third = (MeterReadingFactory().connection for _ in range(3))
    Bill.objects.create(
        connection=first, period=JAN, tariff=tariff, usage=15, total=50000, due_date=datetime.date(2026, 1, 20)
    )
    BillRun.objects.create(period=JAN, last_connection_id=first.pk, created=1)
    summary = run_bill_run(JAN, batch_size=1)
    assert summary.resumed
    assert (summary.created, summary.skipped) == (2, 0)
    run = BillRun.objects.get(period=JAN)
    assert (run.status, run.created, run.last_connection_id) == (BillRun.Status.FINISHED, 3, third.pk)
    assert set(Bill.objects.values_list("connection_id", flat=True)) == {first.pk, second.pk, third.pk}


def test_connections_of_a_class_without_tariff_are_counted_not_billed():
    MeterReadingFactory()
    summary = run_bill_run(JAN)
    assert (summary.created, summary.no_tariff) == (0, 1)


def test_the_command_prints_a_summary(tariff, capsys):
    MeterReadingFactory()
    call_command("run_billing", "2026-01", "--no-progress")
    out = capsys.readouterr().out
    assert "created 1" in out
    assert "Rp 50.000" in out


def test_the_command_refuses_a_malformed_period():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("run_billing", "January")
