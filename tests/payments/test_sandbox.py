"""The sandbox gateway: its hosted checkout and its signed server-to-server notification."""

import time

import pytest
from django.urls import reverse

from billing.payments import services, tokens
from billing.payments.models import Payment, PaymentNotification
from billing.payments.sandbox import gateway as sandbox
from billing.payments.sandbox.tasks import sandbox_backoff, sandbox_notify
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import open_bills_of, pending_payment


@pytest.fixture
def started(customer_connection):
    open_bills_of(customer_connection, 50000, 75500)
    return services.start_online_payment(
        customer_connection,
        finish_url=lambda p: "http://testserver" + reverse("payments:status", args=[tokens.status_token(p)]),
    )


@pytest.mark.django_db
def test_the_checkout_offers_virtual_account_qris_and_e_wallet(client, started):
    body = client.get(started.checkout_url).content.decode()
    assert "Rp 125.500" in body
    for label in ("Virtual account bank", "QRIS", "GoPay / dompet digital"):
        assert label in body
    for action in ("pay", "fail", "expire"):
        assert f'value="{action}"' in body


@pytest.mark.django_db
def test_the_checkout_is_gone_when_the_sandbox_is_disabled(client, started, settings):
    settings.PAYMENT_SANDBOX_ENABLED = False
    assert client.get(started.checkout_url).status_code == 404


@pytest.mark.django_db
def test_a_forged_checkout_token_is_404(client):
    assert client.get(reverse("sandbox:checkout", args=["forged"])).status_code == 404


def test_notifications_are_signed_like_midtrans(settings):
    body = sandbox.notification_body("TRT-1", "125500.00", "pay", "qris")
    assert (body["status_code"], body["transaction_status"], body["payment_type"]) == ("200", "settlement", "qris")
    assert body["signature_key"] == sandbox.midtrans_signature("TRT-1", "200", "125500.00", settings.PAYMENT_SERVER_KEY)


def test_the_backoff_grows_and_is_capped():
    assert [sandbox_backoff(n) for n in range(4)] == [5, 10, 20, 40]
    assert sandbox_backoff(20) == 600


@pytest.mark.redis
def test_the_sandbox_retries_with_backoff_until_our_endpoint_answers_2xx(celery_worker, live_server, settings):
    settings.SITE_URL = live_server.url
    settings.PAYMENT_SANDBOX_RETRY_SECONDS = 1
    bills = open_bills_of(ServiceConnectionFactory(), 1000)
    body = sandbox.notification_body("TRT-LATE-ORDER", "1000.00", "pay", "qris")
    sandbox_notify.delay(body, live_server.url + reverse("payments:notify"))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not PaymentNotification.objects.exists():
        time.sleep(0.05)
    assert PaymentNotification.objects.get().outcome == PaymentNotification.Outcome.REJECTED  # unknown order: 404
    payment = pending_payment(bills, order_id="TRT-LATE-ORDER")  # now the endpoint will answer 200
    while time.monotonic() < deadline and Payment.objects.get(pk=payment.pk).status != Payment.Status.PAID:
        time.sleep(0.1)
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PAID
