"""POST /payments/notify/ against hostile bodies and self-contradicting gateways: 400, the body kept, no change."""

import pytest

from accounts.models import Notification
from billing.models import Bill
from billing.payments.models import Payment, PaymentNotification, Receipt
from tests.factories.payments import notification, open_bills_of, pending_payment, post_notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(customer_connection, customer):
    return pending_payment(open_bills_of(customer_connection, 50000, 75500), payer=customer)


def assert_nothing_changed(payment):
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert not Receipt.objects.exists()
    assert not Notification.objects.exists()
    assert set(Bill.objects.values_list("status", flat=True)) == {Bill.Status.OPEN}


def test_a_nul_character_in_a_field_is_a_malformed_notification(client, payment):
    body = notification(payment)
    body["order_id"] = "a\u0000"
    response = post_notification(client, body)
    assert response.status_code == 400
    assert_nothing_changed(payment)
    stored = PaymentNotification.objects.get()
    assert stored.outcome == PaymentNotification.Outcome.REJECTED
    assert '"a\\u0000"' in stored.body  # kept as the JSON escape it arrived as


def test_a_raw_nul_byte_in_the_body_is_kept_escaped(client, payment):
    response = post_notification(client, b'{"order_id": "a\x00b"}')
    assert response.status_code == 400
    assert_nothing_changed(payment)
    stored = PaymentNotification.objects.get()
    assert stored.outcome == PaymentNotification.Outcome.REJECTED
    assert stored.body == '{"order_id": "a\\u0000b"}'


def test_a_lone_surrogate_in_a_field_is_a_malformed_notification(client, payment):
    body = notification(payment)
    body["order_id"] = "\ud800"
    response = post_notification(client, body)
    assert response.status_code == 400
    assert_nothing_changed(payment)
    assert PaymentNotification.objects.get().outcome == PaymentNotification.Outcome.REJECTED


@pytest.mark.parametrize("raw", ["[" * 100_000, '{"order_id": ' + "[" * 100_000])
def test_deeply_nested_json_is_a_malformed_notification(client, payment, raw):
    response = post_notification(client, raw)
    assert response.status_code == 400
    assert_nothing_changed(payment)
    assert PaymentNotification.objects.get().outcome == PaymentNotification.Outcome.REJECTED


@pytest.mark.parametrize(
    ("transaction_status", "status_code"),
    [
        ("deny", "200"),
        ("failure", "200"),
        ("deny", "201"),
        ("pending", "200"),
        ("settlement", "201"),
        ("settlement", "202"),
        ("settlement", "407"),
        ("capture", "201"),
        ("capture", "500"),
        ("expire", "200"),
    ],
)
def test_a_signed_contradictory_status_pair_is_refused(client, payment, transaction_status, status_code):
    response = post_notification(client, notification(payment, transaction_status, status_code))
    assert response.status_code == 400
    assert_nothing_changed(payment)
    stored = PaymentNotification.objects.get()
    assert stored.outcome == PaymentNotification.Outcome.REJECTED
    assert "contradicts" in stored.detail


@pytest.mark.parametrize(
    ("transaction_status", "status_code", "expected"),
    [
        ("settlement", "200", Payment.Status.PAID),
        ("capture", "200", Payment.Status.PAID),
        ("pending", "201", Payment.Status.PENDING),
        ("deny", "202", Payment.Status.FAILED),
        ("failure", "202", Payment.Status.FAILED),
        ("cancel", "200", Payment.Status.FAILED),
        ("cancel", "202", Payment.Status.FAILED),
        ("expire", "202", Payment.Status.EXPIRED),
        ("expire", "407", Payment.Status.EXPIRED),
        ("authorize", "200", Payment.Status.PENDING),
        ("refund", "200", Payment.Status.PENDING),
        ("partial_refund", "200", Payment.Status.PENDING),
        ("chargeback", "200", Payment.Status.PENDING),
        ("partial_chargeback", "200", Payment.Status.PENDING),
    ],
)
def test_every_pair_midtrans_documents_is_accepted(client, payment, transaction_status, status_code, expected):
    response = post_notification(client, notification(payment, transaction_status, status_code))
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == expected
    assert PaymentNotification.objects.get().outcome != PaymentNotification.Outcome.REJECTED


def test_an_unsigned_contradictory_pair_is_refused_for_its_signature(client, payment):
    response = post_notification(client, notification(payment, "deny", "200", key="forged"))
    assert response.status_code == 403
    assert_nothing_changed(payment)
