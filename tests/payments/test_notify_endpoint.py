"""POST /payments/notify/: the Midtrans HTTP notification, for the sandbox and Midtrans alike."""

import pytest
from django.core import mail

from accounts.models import Notification
from billing.models import Bill
from billing.payments.models import Payment, PaymentNotification, Receipt
from tests.factories.accounts import UserFactory
from tests.factories.payments import notification, open_bills_of, pending_payment, post_notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def bills(customer_connection):
    return open_bills_of(customer_connection, 50000, 75500)


@pytest.fixture
def payment(bills, customer):
    return pending_payment(bills, payer=customer)


def test_a_paid_notification_settles_the_payment_and_its_bills(client, payment, bills):
    response = post_notification(client, notification(payment))
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert payment.payment_type == "bank_transfer"
    assert payment.transaction_id == "9aed5972-5b6a-401e-894b-a32c91ed1a3a"
    assert set(Bill.objects.values_list("status", flat=True)) == {Bill.Status.PAID}
    assert payment.receipt.number.startswith("KWT/")


def test_the_receipt_is_emailed_with_the_pdf_attached(client, payment, customer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_notification(client, notification(payment))
    [message] = mail.outbox
    assert message.to == [f"{customer.full_name} <{customer.email}>"]
    assert payment.receipt.number in message.subject
    assert "Rp 125.500" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith(".pdf")
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")


def test_a_duplicate_paid_notification_changes_nothing(client, payment):
    body = notification(payment)
    post_notification(client, body)
    response = post_notification(client, body)
    assert response.status_code == 200
    assert Receipt.objects.count() == 1
    assert Notification.objects.filter(template="billing/receipt").count() == 1
    assert list(PaymentNotification.objects.values_list("outcome", flat=True).order_by("pk")) == [
        "applied",
        "unchanged",
    ]


def test_a_late_pending_never_undoes_a_settlement(client, payment):
    post_notification(client, notification(payment))
    response = post_notification(client, notification(payment, "pending", "201"))
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID


def test_a_late_expire_never_undoes_a_settlement(client, payment):
    post_notification(client, notification(payment))
    post_notification(client, notification(payment, "expire", "407"))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID


@pytest.mark.parametrize(
    ("transaction_status", "status_code", "expected"),
    [
        ("deny", "202", Payment.Status.FAILED),
        ("cancel", "202", Payment.Status.FAILED),
        ("failure", "202", Payment.Status.FAILED),
        ("expire", "407", Payment.Status.EXPIRED),
        ("pending", "201", Payment.Status.PENDING),
    ],
)
def test_gateway_statuses_map_to_payment_states(client, payment, transaction_status, status_code, expected):
    response = post_notification(client, notification(payment, transaction_status, status_code))
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == expected


def test_an_accepted_capture_is_paid(client, payment):
    post_notification(client, notification(payment, "capture", "200", payment_type="credit_card"))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID


def test_a_capture_under_fraud_challenge_is_not_paid(client, payment):
    post_notification(client, notification(payment, "capture", "200", fraud_status="challenge"))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_money_reported_after_our_expiry_is_still_settled(client, payment):
    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.EXPIRED)
    post_notification(client, notification(payment))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID


def test_an_amount_written_without_decimals_is_the_same_amount(client, payment):
    response = post_notification(client, notification(payment, gross_amount=str(payment.amount)))
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert Receipt.objects.filter(payment=payment).exists()


def test_paid_after_the_bills_were_settled_another_way_becomes_a_credit(client, bills, payment, supervisor):
    other = pending_payment(bills)
    post_notification(client, notification(other))
    response = post_notification(client, notification(payment))
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CREDIT
    assert not Receipt.objects.filter(payment=payment).exists()
    assert Notification.objects.filter(template="billing/refund_credit", user=supervisor).count() == 1


def test_every_notification_is_stored_as_received(client, payment):
    body = notification(payment)
    post_notification(client, body)
    stored = PaymentNotification.objects.get()
    assert stored.payment == payment
    assert body["signature_key"] in stored.body
    assert stored.transaction_status == "settlement"


# --- rejections: 4xx, nothing changes, the attempt is logged ------------------------------------------------


def assert_nothing_changed(payment):
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert not Receipt.objects.exists()
    assert not Notification.objects.exists()
    assert set(Bill.objects.values_list("status", flat=True)) == {Bill.Status.OPEN}


def test_a_bad_signature_is_refused(client, payment, caplog):
    response = post_notification(client, notification(payment, key="forged-key"))
    assert response.status_code == 403
    assert_nothing_changed(payment)
    assert "bad signature" in caplog.text
    assert PaymentNotification.objects.get().outcome == PaymentNotification.Outcome.REJECTED


def test_a_tampered_amount_breaks_the_signature(client, payment):
    body = notification(payment)
    body["gross_amount"] = "1.00"
    assert post_notification(client, body).status_code == 403
    assert_nothing_changed(payment)


def test_a_wrong_amount_is_refused_even_when_signed(client, payment, caplog):
    response = post_notification(client, notification(payment, gross_amount="1000.00"))
    assert response.status_code == 400
    assert_nothing_changed(payment)
    assert "amount" in caplog.text


def test_an_unknown_order_is_refused(client, payment):
    body = notification(payment)
    payment.order_id = "TRT-00000000-UNKNOWN"
    response = post_notification(client, notification(payment))
    assert response.status_code == 404
    payment.order_id = body["order_id"]
    assert_nothing_changed(payment)


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"text"', "", '{"order_id": 12}', "\xff\xfe"])
def test_malformed_bodies_are_refused(client, payment, raw):
    assert post_notification(client, raw).status_code == 400
    assert_nothing_changed(payment)


def test_a_missing_signature_is_refused(client, payment):
    body = notification(payment)
    del body["signature_key"]
    assert post_notification(client, body).status_code == 400
    assert_nothing_changed(payment)


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_are_refused(client, method):
    assert getattr(client, method)("/payments/notify/").status_code == 405


def test_a_counter_payment_cannot_be_settled_from_outside(client, bills, counter_user):
    cash = pending_payment(bills, provider="counter", cashier=counter_user)
    assert post_notification(client, notification(cash)).status_code == 403
    assert_nothing_changed(cash)


def test_without_a_server_key_nothing_is_genuine(client, payment, settings):
    settings.PAYMENT_SERVER_KEY = ""
    assert post_notification(client, notification(payment, key="")).status_code == 403
    assert_nothing_changed(payment)


def test_a_payer_who_prefers_sms_gets_a_link_to_the_receipt(client, bills, settings):
    settings.SITE_URL = "https://tirta.example"
    payer = UserFactory(phone="+6281234567890", notify_email=False, notify_sms=True)
    payment = pending_payment(bills, payer=payer)
    post_notification(client, notification(payment))
    [sms] = Notification.objects.filter(template="billing/receipt")
    assert (sms.channel, sms.to_address) == (Notification.Channel.SMS, "+6281234567890")
    assert sms.context["receipt_url"].startswith("https://tirta.example/payments/verify/")


def test_a_repeated_paid_notification_is_answered_from_a_plain_read_of_the_settled_payment(
    client, payment, django_assert_num_queries
):
    body = notification(payment)
    post_notification(client, body)
    # the payment, the stored notification: no lock, no transaction
    with django_assert_num_queries(2):
        assert post_notification(client, body).status_code == 200
    assert list(PaymentNotification.objects.order_by("pk").values_list("outcome", flat=True)) == [
        PaymentNotification.Outcome.APPLIED,
        PaymentNotification.Outcome.UNCHANGED,
    ]
