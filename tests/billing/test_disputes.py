"""Questioning a bill holds it: the billing side of "this bill looks wrong"."""

import datetime

import pytest

from accounts.models import Notification, ServiceConnection
from billing.disputes import DisputeError, dispute_context, open_dispute
from billing.jobs import apply_late_fees, send_due_reminders
from billing.models import Bill, BillDispute, BillLine, MeterReading
from billing.services import open_bills, unpaid_bills, with_amount_due
from tests.factories.accounts import ConnectionLinkFactory
from tests.factories.billing import BillFactory, LateFeeRuleFactory, MeterReadingFactory

pytestmark = pytest.mark.django_db
DUE = datetime.date(2026, 1, 20)


def test_a_questioned_open_bill_is_held_and_remembers_it_was_open(customer):
    bill = BillFactory(due_date=DUE)
    dispute = open_dispute(bill, "Usage twice as usual", by=customer, ticket="ADU-2026-000001")
    bill.refresh_from_db()
    assert bill.status == Bill.Status.DISPUTED
    assert (dispute.status_before, dispute.ticket, dispute.opened_by) == ("open", "ADU-2026-000001", customer)
    assert dispute.resolved_at is None


def test_a_questioned_paid_bill_stays_paid_with_an_open_dispute(customer):
    bill = BillFactory(status=Bill.Status.PAID)
    dispute = open_dispute(bill, "I paid twice?", by=customer)
    bill.refresh_from_db()
    assert bill.status == Bill.Status.PAID
    assert dispute.status_before == "paid"


def test_a_bill_already_being_checked_cannot_be_questioned_again(customer):
    bill = BillFactory()
    open_dispute(bill, "Too high", by=customer)
    with pytest.raises(DisputeError, match="sedang diperiksa"):
        open_dispute(bill, "Still too high", by=customer)
    assert BillDispute.objects.filter(bill=bill).count() == 1


def test_a_replaced_bill_cannot_be_questioned_and_nothing_changes(customer):
    bill = BillFactory(status=Bill.Status.VOID, voided_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC))
    with pytest.raises(DisputeError, match="sudah diganti"):
        open_dispute(bill, "Wrong", by=customer)
    assert not BillDispute.objects.exists()
    bill.refresh_from_db()
    assert bill.status == Bill.Status.VOID


def test_a_question_needs_a_reason(customer):
    bill = BillFactory()
    with pytest.raises(DisputeError):
        open_dispute(bill, "   ", by=customer)
    bill.refresh_from_db()
    assert bill.status == Bill.Status.OPEN


def test_the_late_fee_job_leaves_a_held_bill_alone(customer):
    LateFeeRuleFactory(code="late-1", days_overdue=0, amount=10000)
    held = BillFactory(due_date=DUE, total=50000)
    other = BillFactory(due_date=DUE, total=50000, period=datetime.date(2026, 2, 1), connection=held.connection)
    open_dispute(held, "Too high", by=customer)
    assert apply_late_fees(DUE + datetime.timedelta(days=40)) == 1
    held.refresh_from_db()
    other.refresh_from_db()
    assert (held.total, other.total) == (50000, 60000)
    assert not held.lines.filter(kind=BillLine.Kind.LATE_FEE).exists()


def test_the_reminder_job_does_not_remind_of_a_held_bill(customer):
    bill = BillFactory(due_date=DUE)
    ConnectionLinkFactory(connection=bill.connection, user__email="holder@example.test")
    open_dispute(bill, "Too high", by=customer)
    assert send_due_reminders(DUE - datetime.timedelta(days=2)) == 0
    assert not Notification.objects.filter(template="billing/due_reminder").exists()


def test_a_held_bill_is_not_owed_but_is_listed_as_unpaid(customer):
    bill = BillFactory(total=50000)
    newer = BillFactory(connection=bill.connection, period=datetime.date(2026, 2, 1), total=40000)
    open_dispute(bill, "Too high", by=customer)
    assert list(open_bills(bill.connection)) == [newer]
    assert list(unpaid_bills(bill.connection)) == [bill, newer]
    annotated = with_amount_due(ServiceConnection.objects.filter(pk=bill.connection_id)).get()
    assert (annotated.amount_due, annotated.on_hold) == (40000, 50000)


def test_the_context_for_staff_has_both_readings_and_a_year_of_usage(django_assert_num_queries):
    bill = BillFactory(period=datetime.date(2026, 1, 1))
    connection = bill.connection
    MeterReadingFactory(connection=connection, period=datetime.date(2026, 1, 1), reading=140, previous_reading=100)
    MeterReadingFactory(
        connection=connection,
        period=datetime.date(2025, 12, 1),
        reading=100,
        previous_reading=85,
        source=MeterReading.Source.CUSTOMER,
        flagged=True,
        flag_reason="photo unclear",
    )
    for month in range(1, 13):
        BillFactory(connection=connection, period=datetime.date(2025, month, 1), usage=month)
    with django_assert_num_queries(2):
        context = dispute_context(bill)
    assert (context.current.reading, context.current.usage) == (140, 40)
    assert (context.previous.source, context.previous.flagged, context.previous.flag_reason) == (
        "customer",
        True,
        "photo unclear",
    )
    assert len(context.usage) == 12
    assert context.usage[0][0] == datetime.date(2026, 1, 1)
    assert context.photos == []


def test_the_context_of_a_bill_without_readings_says_so():
    context = dispute_context(BillFactory())
    assert (context.current, context.previous) == (None, None)
