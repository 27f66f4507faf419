"""A pending payment whose notification never came: the periodic task asks Midtrans' status API and applies the
answer like a notification. The answers are Midtrans' documented Get Status payloads, served by a local fake."""

import base64
import datetime
import json

import pytest
from django.conf import settings
from django.utils import timezone

from billing.payments import tasks
from billing.payments.models import Payment, PaymentNotification, Receipt
from billing.payments.providers import midtrans
from billing.payments.providers.base import midtrans_signature
from billing.payments.reconcile import reconcile_pending
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import SERVER_KEY, open_bills_of, pending_payment

pytestmark = pytest.mark.django_db

# GET /v2/{order_id}/status answers as documented (docs.midtrans.com, "GET Status API Requests"); order_id,
# gross_amount and signature_key are filled in for the payment under test.
RECORDED = {
    "settlement": {
        "status_code": "200",
        "status_message": "Success, transaction is found",
        "transaction_id": "9aed5972-5b6a-401e-894b-a32c91ed1a3a",
        "payment_type": "bank_transfer",
        "transaction_time": "2026-01-15 10:21:06",
        "transaction_status": "settlement",
        "settlement_time": "2026-01-15 10:25:12",
        "fraud_status": "accept",
        "va_numbers": [{"bank": "bca", "va_number": "812785002530231"}],
        "merchant_id": "G812785002",
        "currency": "IDR",
    },
    "pending": {
        "status_code": "201",
        "status_message": "Success, transaction is found",
        "transaction_id": "9aed5972-5b6a-401e-894b-a32c91ed1a3a",
        "payment_type": "qris",
        "transaction_time": "2026-01-15 10:21:06",
        "transaction_status": "pending",
        "fraud_status": "accept",
        "merchant_id": "G812785002",
        "currency": "IDR",
    },
    "expire": {
        "status_code": "407",
        "status_message": "Success, transaction is found",
        "transaction_id": "9aed5972-5b6a-401e-894b-a32c91ed1a3a",
        "payment_type": "bank_transfer",
        "transaction_time": "2026-01-15 10:21:06",
        "transaction_status": "expire",
        "merchant_id": "G812785002",
        "currency": "IDR",
    },
}
NOT_FOUND = {"status_code": "404", "status_message": "Transaction doesn't exist.", "id": "e3d8a5b1-0b1e-4b0e"}
UNAUTHORISED = {
    "status_code": "401",
    "status_message": "Transaction cannot be authorized with the current client/server key.",
}


def recorded(name: str, payment: Payment, key: str = SERVER_KEY) -> dict:
    answer = dict(RECORDED[name], order_id=payment.order_id, gross_amount=f"{payment.amount}.00")
    answer["signature_key"] = midtrans_signature(payment.order_id, answer["status_code"], answer["gross_amount"], key)
    return answer


class FakeMidtrans:
    """Midtrans' status API on this machine: answers what a test set for each order, records each request."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, dict] | OSError] = {}
        self.requests: list[tuple[str, dict[str, str], bytes | None]] = []

    def __call__(self, url: str, headers: dict[str, str], body: bytes | None) -> tuple[int, bytes]:
        self.requests.append((url, headers, body))
        order_id = url.rstrip("/").split("/")[-2]
        answer = self.answers.get(order_id, (404, NOT_FOUND))
        if isinstance(answer, OSError):
            raise answer
        return answer[0], json.dumps(answer[1]).encode()


@pytest.fixture
def gateway(monkeypatch):
    fake = FakeMidtrans()
    monkeypatch.setattr(midtrans, "urllib_transport", fake)
    return fake


def started(minutes_ago: int, provider: str = "midtrans", account: str = "1001000042") -> Payment:
    connection = ServiceConnectionFactory(account_number=account)
    payment = pending_payment(open_bills_of(connection, 50000, 75500), provider=provider)
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago))
    return payment


def test_a_payment_pending_past_the_threshold_is_settled_from_the_status_api(gateway):
    payment = started(minutes_ago=10)
    gateway.answers[payment.order_id] = (200, recorded("settlement", payment))
    assert reconcile_pending() == 1
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert Receipt.objects.filter(payment=payment).exists()
    stored = PaymentNotification.objects.get()
    assert (stored.payment, stored.outcome, stored.remote_addr) == (payment, "applied", None)


def test_the_status_api_is_asked_with_a_get_and_the_server_key(gateway):
    payment = started(minutes_ago=10)
    reconcile_pending()
    [(url, headers, body)] = gateway.requests
    assert url == f"https://api.sandbox.midtrans.com/v2/{payment.order_id}/status"
    assert body is None
    assert headers["Authorization"] == "Basic " + base64.b64encode(f"{SERVER_KEY}:".encode()).decode()


def test_a_payment_younger_than_the_threshold_is_not_asked_about(gateway, settings):
    settings.PAYMENT_RECONCILE_MINUTES = 5
    started(minutes_ago=2)
    assert reconcile_pending() == 0
    assert gateway.requests == []


def test_a_still_pending_answer_changes_nothing(gateway):
    payment = started(minutes_ago=10)
    gateway.answers[payment.order_id] = (200, recorded("pending", payment))
    assert reconcile_pending() == 0
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert PaymentNotification.objects.get().outcome == PaymentNotification.Outcome.UNCHANGED


def test_an_expired_answer_expires_the_payment(gateway):
    payment = started(minutes_ago=10)
    gateway.answers[payment.order_id] = (200, recorded("expire", payment))
    reconcile_pending()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.EXPIRED


def test_a_transaction_midtrans_does_not_know_stays_pending_and_is_not_logged(gateway):
    payment = started(minutes_ago=10)
    assert reconcile_pending() == 0
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert not PaymentNotification.objects.exists()


def test_an_unreachable_gateway_leaves_the_payment_for_the_next_run(gateway):
    first, second = started(minutes_ago=20), started(minutes_ago=10, account="1001000043")
    gateway.answers[first.order_id] = OSError("connection refused")
    gateway.answers[second.order_id] = (200, recorded("settlement", second))
    assert reconcile_pending() == 1
    first.refresh_from_db()
    assert first.status == Payment.Status.PENDING


def test_a_refused_status_request_applies_nothing(gateway):
    payment = started(minutes_ago=10)
    gateway.answers[payment.order_id] = (401, UNAUTHORISED)
    assert reconcile_pending() == 0
    assert not PaymentNotification.objects.exists()


def test_a_forged_status_answer_is_refused_like_a_forged_notification(gateway):
    payment = started(minutes_ago=10)
    gateway.answers[payment.order_id] = (200, recorded("settlement", payment, key="forged"))
    reconcile_pending()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert PaymentNotification.objects.get().outcome == PaymentNotification.Outcome.REJECTED


def test_gateways_without_a_status_api_and_cash_are_never_asked(gateway):
    started(minutes_ago=10, provider="sandbox")
    assert reconcile_pending() == 0
    assert gateway.requests == []


def test_celery_beat_runs_the_reconciliation_task_by_name(gateway):
    payment = started(minutes_ago=10)
    gateway.answers[payment.order_id] = (200, recorded("settlement", payment))
    [entry] = [
        entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == tasks.reconcile_pending.name
    ]
    assert entry["task"] == "billing.payments.reconcile_pending"
    tasks.reconcile_pending.delay()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
