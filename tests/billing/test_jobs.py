import datetime

import pytest

from accounts.models import Notification
from billing.jobs import apply_late_fees, send_due_reminders
from billing.models import Bill, BillLine
from tests.factories.accounts import ConnectionLinkFactory
from tests.factories.billing import BillFactory, LateFeeRuleFactory

pytestmark = pytest.mark.django_db
DUE = datetime.date(2026, 1, 20)


@pytest.fixture
def rule():
    return LateFeeRuleFactory(code="late-1", days_overdue=0, amount=10000)


def test_an_overdue_bill_gets_the_late_fee_once_and_its_total_rises(rule):
    bill = BillFactory(due_date=DUE, total=50000)
    assert apply_late_fees(DUE + datetime.timedelta(days=1)) == 1
    assert apply_late_fees(DUE + datetime.timedelta(days=2)) == 0
    bill.refresh_from_db()
    assert bill.total == 60000
    assert bill.lines.filter(kind=BillLine.Kind.LATE_FEE).count() == 1


def test_a_bill_is_not_late_on_its_due_date(rule):
    BillFactory(due_date=DUE)
    assert apply_late_fees(DUE) == 0


def test_a_paid_bill_never_gets_a_late_fee(rule):
    BillFactory(due_date=DUE, status=Bill.Status.PAID)
    assert apply_late_fees(DUE + datetime.timedelta(days=30)) == 0


def test_each_rule_adds_its_own_fee_when_its_day_comes(rule):
    later = LateFeeRuleFactory(code="late-30", days_overdue=30, amount=20000)
    bill = BillFactory(due_date=DUE, total=50000)
    apply_late_fees(DUE + datetime.timedelta(days=10))
    apply_late_fees(DUE + datetime.timedelta(days=31))
    bill.refresh_from_db()
    assert bill.total == 80000
    assert set(bill.lines.values_list("late_fee_rule__code", flat=True)) == {"late-1", later.code}


def test_an_inactive_rule_adds_nothing():
    LateFeeRuleFactory(active=False)
    BillFactory(due_date=DUE)
    assert apply_late_fees(DUE + datetime.timedelta(days=5)) == 0


def test_holders_are_reminded_three_days_before_the_due_date_once():
    bill = BillFactory(due_date=DUE)
    ConnectionLinkFactory(connection=bill.connection, user__email="holder@example.test")
    assert send_due_reminders(DUE - datetime.timedelta(days=4)) == 0
    assert send_due_reminders(DUE - datetime.timedelta(days=3)) == 1
    assert send_due_reminders(DUE - datetime.timedelta(days=2)) == 0
    reminder = Notification.objects.get(template="billing/due_reminder")
    assert reminder.to_address == "holder@example.test"
    assert reminder.context["account_number"] == bill.connection.account_number


def test_a_customer_without_portal_account_is_reminded_at_the_contact_on_record():
    bill = BillFactory(due_date=DUE, connection__customer__email="warga@example.test")
    send_due_reminders(DUE - datetime.timedelta(days=3))
    assert set(Notification.objects.values_list("to_address", flat=True)) == {
        "warga@example.test",
        bill.connection.customer.phone,
    }


def test_paid_bills_get_no_reminder():
    BillFactory(due_date=DUE, status=Bill.Status.PAID, connection__customer__email="warga@example.test")
    assert send_due_reminders(DUE - datetime.timedelta(days=3)) == 0


def test_the_reminder_renders_in_indonesian():
    from accounts.outbox import render

    bill = BillFactory(due_date=DUE, total=125500)
    ConnectionLinkFactory(connection=bill.connection)
    send_due_reminders(DUE - datetime.timedelta(days=3))
    message = render(Notification.objects.get(template="billing/due_reminder"))
    assert bill.connection.account_number in message.subject
    assert "Rp 125.500" in message.text


def test_a_second_daily_run_queues_no_reminder():
    bill = BillFactory(due_date=DUE)
    ConnectionLinkFactory(connection=bill.connection, user__email="holder@example.test")
    assert send_due_reminders(DUE - datetime.timedelta(days=3)) == 1
    assert send_due_reminders(DUE - datetime.timedelta(days=3)) == 0
    assert Notification.objects.filter(template="billing/due_reminder").count() == 1


def test_every_holder_is_reminded_of_their_own_bill_once():
    first, second = BillFactory(due_date=DUE, total=50000), BillFactory(due_date=DUE, total=75500)
    for bill in (first, first, second):
        ConnectionLinkFactory(connection=bill.connection)
    assert send_due_reminders(DUE - datetime.timedelta(days=3)) == 3
    totals = sorted(Notification.objects.values_list("context__total", flat=True))
    assert totals == [50000, 50000, 75500]


def test_reminders_are_queued_in_batches_whatever_the_number_of_bills(django_assert_max_num_queries):
    for _ in range(30):
        ConnectionLinkFactory(connection=BillFactory(due_date=DUE).connection)
    with django_assert_max_num_queries(8):
        assert send_due_reminders(DUE - datetime.timedelta(days=3)) == 30
