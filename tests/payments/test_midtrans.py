"""The Midtrans adapter against documented payloads; a fake transport stands in for the network."""

import base64
import json

import pytest

from billing.payments.models import Payment
from billing.payments.providers import midtrans
from billing.payments.providers.base import Outcome, ProviderError, midtrans_signature
from billing.payments.providers.midtrans import PRODUCTION_API, SANDBOX_API, MidtransProvider
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import SERVER_KEY, notification, open_bills_of, pending_payment, post_notification

pytestmark = pytest.mark.django_db

# The documented Snap response to a successful create-transaction request (HTTP 201).
SNAP_CREATED = {
    "token": "66e4fa55-fdac-4ef9-91b5-733b97d1b862",
    "redirect_url": "https://app.sandbox.midtrans.com/snap/v2/vtweb/66e4fa55-fdac-4ef9-91b5-733b97d1b862",
}
SNAP_UNAUTHORISED = {
    "error_messages": [
        "Access denied due to unauthorized transaction, please check client or server key",
        "Visit https://snap-docs.midtrans.com/#request-headers for more details",
    ]
}


class FakeTransport:
    def __init__(self, status: int, answer: dict | bytes) -> None:
        self.status = status
        self.answer = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
        self.calls: list[tuple[str, dict, dict]] = []

    def __call__(self, url: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        self.calls.append((url, headers, json.loads(body)))
        return self.status, self.answer


@pytest.fixture
def payment():
    connection = ServiceConnectionFactory(account_number="1001000042", customer__email="budi@example.test")
    return pending_payment(open_bills_of(connection, 50000, 75500), provider="midtrans")


def test_create_checkout_posts_the_documented_snap_request(payment):
    transport = FakeTransport(201, SNAP_CREATED)
    checkout = MidtransProvider(transport).create_checkout(payment, finish_url="https://tirta.test/payments/status/x/")
    [(url, headers, body)] = transport.calls
    assert url == SANDBOX_API
    assert headers["Authorization"] == "Basic " + base64.b64encode(f"{SERVER_KEY}:".encode()).decode()
    assert headers["Content-Type"] == headers["Accept"] == "application/json"
    assert body["transaction_details"] == {"order_id": payment.order_id, "gross_amount": 125500}
    assert [item["price"] * item["quantity"] for item in body["item_details"]] == [50000, 75500]
    assert all(len(item["name"]) <= 50 for item in body["item_details"])
    assert body["customer_details"]["email"] == "budi@example.test"
    assert body["callbacks"] == {"finish": "https://tirta.test/payments/status/x/"}
    assert body["expiry"] == {"unit": "minutes", "duration": 60}
    assert checkout.redirect_url == SNAP_CREATED["redirect_url"]
    assert checkout.reference == SNAP_CREATED["token"]


def test_production_uses_the_production_endpoint(payment, settings):
    settings.MIDTRANS_PRODUCTION = True
    transport = FakeTransport(201, SNAP_CREATED)
    MidtransProvider(transport).create_checkout(payment, finish_url="https://tirta.test/")
    assert transport.calls[0][0] == PRODUCTION_API


@pytest.mark.parametrize(("status", "answer"), [(401, SNAP_UNAUTHORISED), (500, b"<html>oops"), (201, {})])
def test_a_refusal_is_a_provider_error(payment, status, answer):
    with pytest.raises(ProviderError):
        MidtransProvider(FakeTransport(status, answer)).create_checkout(payment, finish_url="https://tirta.test/")


def test_an_unreachable_gateway_is_a_provider_error(payment):
    def offline(url, headers, body):
        raise OSError("Network is unreachable")

    with pytest.raises(ProviderError):
        MidtransProvider(offline).create_checkout(payment, finish_url="https://tirta.test/")


def test_the_signature_is_sha512_of_the_strings_as_sent():
    # The four strings concatenated: order id, status code, gross amount (with its ".00"), server key.
    signature = midtrans_signature("Postman-1578568851", "200", "10000.00", "VT-server-HJMpl9HLr_ntOKt5mRONdmKj")
    assert len(signature) == 128
    assert signature != midtrans_signature("Postman-1578568851", "200", "10000", "VT-server-HJMpl9HLr_ntOKt5mRONdmKj")


@pytest.mark.parametrize(
    ("fields", "outcome"),
    [
        ({"transaction_status": "settlement", "status_code": "200"}, Outcome.PAID),
        ({"transaction_status": "capture", "status_code": "200", "fraud_status": "accept"}, Outcome.PAID),
        ({"transaction_status": "capture", "status_code": "200", "fraud_status": "challenge"}, Outcome.PENDING),
        ({"transaction_status": "pending", "status_code": "201"}, Outcome.PENDING),
        ({"transaction_status": "deny", "status_code": "202"}, Outcome.FAILED),
        ({"transaction_status": "cancel", "status_code": "202"}, Outcome.FAILED),
        ({"transaction_status": "failure", "status_code": "202"}, Outcome.FAILED),
        ({"transaction_status": "expire", "status_code": "407"}, Outcome.EXPIRED),
        ({"transaction_status": "refund", "status_code": "200"}, Outcome.IGNORED),
    ],
)
def test_documented_statuses_map_to_outcomes(payment, fields, outcome):
    data = {k: v for k, v in notification(payment, **fields).items() if isinstance(v, str)}
    if "fraud_status" not in fields:
        data.pop("fraud_status")
    assert MidtransProvider().map_status(data) is outcome


def test_a_documented_midtrans_notification_settles_a_midtrans_payment(client, payment):
    assert post_notification(client, notification(payment)).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID


def test_customers_are_sent_to_snap_when_midtrans_is_the_provider(
    customer_client, customer_connection, settings, monkeypatch
):
    settings.PAYMENT_PROVIDER = "midtrans"
    open_bills_of(customer_connection, 50000)
    monkeypatch.setattr(midtrans, "urllib_transport", FakeTransport(201, SNAP_CREATED))  # no network here
    response = customer_client.post(f"/payments/pay/{customer_connection.account_number}/")
    assert response["Location"] == SNAP_CREATED["redirect_url"]


def test_a_refusing_gateway_fails_the_attempt_and_tells_the_customer(
    customer_client, customer_connection, settings, monkeypatch
):
    settings.PAYMENT_PROVIDER = "midtrans"
    open_bills_of(customer_connection, 50000)
    monkeypatch.setattr(midtrans, "urllib_transport", FakeTransport(401, SNAP_UNAUTHORISED))
    response = customer_client.post(f"/payments/pay/{customer_connection.account_number}/", follow=True)
    assert "Layanan pembayaran sedang tidak tersedia" in response.content.decode()
    assert Payment.objects.get().status == Payment.Status.FAILED
