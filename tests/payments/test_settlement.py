"""Settlement rules: which bills a payment covers, receipt numbers, expiry, reversal, refunds."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AuditEntry
from billing.models import Bill
from billing.payments import services
from billing.payments.models import Payment, PaymentBill, Receipt
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import open_bills_of, pending_payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection():
    return ServiceConnectionFactory()


def test_a_payment_covers_all_arrears_oldest_first_by_default(connection):
    bills = open_bills_of(connection, 10000, 20000, 30000)
    payment = services.start_online_payment(connection, finish_url=lambda p: "http://testserver/done")
    assert payment.amount == 60000
    assert list(payment.allocations.order_by("bill__period").values_list("bill", flat=True)) == [b.pk for b in bills]
    assert payment.checkout_url.startswith("/sandbox-gateway/checkout/")


def test_the_oldest_bills_may_be_paid_alone(connection):
    bills = open_bills_of(connection, 10000, 20000, 30000)
    assert services.choose_bills(connection, [bills[0].pk, bills[1].pk]) == bills[:2]


def test_a_bill_cannot_be_skipped_for_a_newer_one(connection):
    bills = open_bills_of(connection, 10000, 20000)
    with pytest.raises(services.PaymentError, match="lebih lama"):
        services.choose_bills(connection, [bills[1].pk])


def test_nothing_to_pay_is_refused(connection):
    with pytest.raises(services.PaymentError):
        services.start_online_payment(connection, finish_url=lambda p: "")
    assert not Payment.objects.exists()


def test_each_attempt_gets_its_own_order_id(connection):
    open_bills_of(connection, 10000)
    first = services.start_online_payment(connection, finish_url=lambda p: "")
    second = services.start_online_payment(connection, finish_url=lambda p: "")
    assert first.order_id != second.order_id


def test_receipt_numbers_follow_each_other_within_a_year():
    numbers = [
        services.settle(pending_payment(open_bills_of(ServiceConnectionFactory(), 1000)).pk).payment.receipt.number
        for _ in range(3)
    ]
    year = timezone.localdate().year
    assert numbers == [f"KWT/{year}/000001", f"KWT/{year}/000002", f"KWT/{year}/000003"]


def test_the_database_refuses_a_second_settlement_of_a_bill(connection):
    [bill] = open_bills_of(connection, 10000)
    services.settle(pending_payment([bill]).pk)
    other = pending_payment([bill])
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBill.objects.filter(payment=other).update(settled=True)


def test_the_database_refuses_a_second_receipt_for_a_payment(connection):
    payment = services.settle(pending_payment(open_bills_of(connection, 10000)).pk).payment
    with pytest.raises(IntegrityError), transaction.atomic():
        Receipt.objects.create(payment=payment, year=2026, sequence=999, number="KWT/2026/000999")


def test_settling_twice_returns_without_change(connection):
    payment = pending_payment(open_bills_of(connection, 10000))
    assert services.settle(payment.pk).changed
    assert not services.settle(payment.pk).changed
    assert Receipt.objects.count() == 1


def test_pending_payments_expire_after_their_time(connection):
    bills = open_bills_of(connection, 10000)
    old = pending_payment(bills, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    fresh = pending_payment(bills, expires_at=timezone.now() + datetime.timedelta(minutes=30))
    assert services.expire_pending() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (Payment.Status.EXPIRED, Payment.Status.PENDING)


def test_the_pending_time_comes_from_settings(connection, settings):
    settings.PAYMENT_PENDING_MINUTES = 15
    open_bills_of(connection, 10000)
    payment = services.start_online_payment(connection, finish_url=lambda p: "")
    assert datetime.timedelta(minutes=14) < payment.expires_at - timezone.now() <= datetime.timedelta(minutes=15)


def test_a_reversal_reopens_the_bills_voids_the_receipt_and_is_audited(connection, supervisor):
    bills = open_bills_of(connection, 10000, 20000)
    payment = services.settle(pending_payment(bills).pk).payment
    services.reverse(payment.pk, supervisor=supervisor, reason="Uang palsu")
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REVERSED
    assert set(Bill.objects.values_list("status", flat=True)) == {Bill.Status.OPEN}
    assert Receipt.objects.get().void
    entry = AuditEntry.objects.get(action="payment.reverse")
    assert (entry.actor, entry.connection) == (supervisor, connection)
    assert "Uang palsu" in entry.summary


def test_reopened_bills_can_be_paid_again(connection, supervisor):
    bills = open_bills_of(connection, 10000)
    payment = services.settle(pending_payment(bills).pk).payment
    services.reverse(payment.pk, supervisor=supervisor, reason="Salah sambungan")
    assert services.settle(pending_payment(bills).pk).payment.status == Payment.Status.PAID


def test_a_reversal_needs_a_reason(connection, supervisor):
    payment = services.settle(pending_payment(open_bills_of(connection, 10000)).pk).payment
    with pytest.raises(services.PaymentError):
        services.reverse(payment.pk, supervisor=supervisor, reason="   ")
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID


def test_only_a_paid_payment_can_be_reversed(connection, supervisor):
    payment = pending_payment(open_bills_of(connection, 10000))
    with pytest.raises(services.PaymentError):
        services.reverse(payment.pk, supervisor=supervisor, reason="x")


def test_a_credit_can_be_marked_refunded_with_a_note(connection, supervisor):
    bills = open_bills_of(connection, 10000)
    services.settle(pending_payment(bills).pk)
    credit = services.settle(pending_payment(bills).pk).payment
    assert credit.status == Payment.Status.CREDIT
    services.mark_refunded(credit.pk, supervisor=supervisor, note="Transfer BCA 12/01")
    credit.refresh_from_db()
    assert credit.status == Payment.Status.REFUNDED
    assert AuditEntry.objects.filter(action="payment.refund").count() == 1


def test_cash_must_cover_the_total(connection, counter_user):
    [bill] = open_bills_of(connection, 50000)
    with pytest.raises(services.PaymentError, match="kurang dari"):
        services.take_cash(connection, cashier=counter_user, bill_ids=[bill.pk], expected_total=50000, tendered=40000)
    assert not Payment.objects.exists()


def test_cash_for_a_changed_total_is_refused(connection, counter_user):
    [bill] = open_bills_of(connection, 50000)
    Bill.objects.filter(pk=bill.pk).update(total=55000)  # a late fee was added meanwhile
    with pytest.raises(services.PaymentError, match="berubah"):
        services.take_cash(connection, cashier=counter_user, bill_ids=[bill.pk], expected_total=50000, tendered=60000)
    assert not Payment.objects.exists()


def test_cash_is_paid_at_once_with_change_and_an_audit_entry(connection, counter_user):
    [bill] = open_bills_of(connection, 50000)
    payment = services.take_cash(
        connection, cashier=counter_user, bill_ids=[bill.pk], expected_total=50000, tendered=100000
    )
    assert (payment.status, payment.change, payment.payment_type) == (Payment.Status.PAID, 50000, "cash")
    assert payment.receipt.number
    assert AuditEntry.objects.get(action="payment.cash").actor == counter_user
