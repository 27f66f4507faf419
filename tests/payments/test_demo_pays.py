"""The demo pays end to end: the sandbox notifies the server its checkout was served from, retries without a
broker, and the payer's status page stops waiting after a minute with a way to check again."""

import time
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from billing.payments import services, tokens
from billing.payments.models import Payment
from billing.payments.sandbox import gateway as sandbox
from billing.payments.sandbox.tasks import sandbox_notify
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import open_bills_of, pending_payment
from tests.services import wait_for


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_notifies_the_server_it_is_served_from_not_site_url(live_server, settings, customer_connection):
    settings.SITE_URL = "http://127.0.0.1:9"  # nothing listens there: the old sandbox never confirmed
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, urlsplit(live_server.url).hostname]
    open_bills_of(customer_connection, 50000)
    payment = services.start_online_payment(customer_connection, finish_url=lambda p: live_server.url + "/")
    browser = Client(HTTP_HOST=urlsplit(live_server.url).netloc)  # the payer reached the portal at this address
    browser.post(payment.checkout_url, {"action": "pay", "method": "qris"})
    payment.refresh_from_db()
    assert (payment.status, payment.payment_type) == (Payment.Status.PAID, "qris")


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_a_failed_notification_is_retried_in_process(live_server, settings):
    settings.PAYMENT_SANDBOX_RETRY_SECONDS = 1
    bills = open_bills_of(ServiceConnectionFactory(), 1000)
    body = sandbox.notification_body("TRT-LATE-DEMO", "1000.00", "pay", "qris")
    sandbox_notify.delay(body, live_server.url + reverse("payments:notify"))  # unknown order yet: 404
    payment = pending_payment(bills, order_id="TRT-LATE-DEMO")  # now the endpoint will answer 200
    assert wait_for(lambda: Payment.objects.get(pk=payment.pk).status == Payment.Status.PAID)


@pytest.mark.django_db(transaction=True)
def test_an_in_process_notification_does_not_hold_up_the_payers_browser(live_server, settings, customer_connection):
    settings.PAYMENT_SANDBOX_RETRY_SECONDS = 30
    open_bills_of(customer_connection, 50000)
    payment = services.start_online_payment(customer_connection, finish_url=lambda p: live_server.url + "/")
    browser = Client(HTTP_HOST="127.0.0.1:9")  # an address the server cannot reach itself at
    started = time.monotonic()
    response = browser.post(payment.checkout_url, {"action": "pay", "method": "qris"})
    assert response.status_code == 302
    assert time.monotonic() - started < 10


@pytest.fixture
def pending(customer_connection):
    payment = pending_payment(open_bills_of(customer_connection, 50000), checkout_url="https://pay.test/x")
    return payment, reverse("payments:status", args=[tokens.status_token(payment)])


@pytest.mark.django_db
def test_the_status_page_polls_carrying_when_it_started_waiting(client, pending):
    _, url = pending
    before = int(time.time())
    body = client.get(url).content.decode()
    since = int(body.split("?since=")[1].split('"')[0])
    assert before <= since <= int(time.time())
    assert 'hx-trigger="every 2s"' in body


@pytest.mark.django_db
def test_the_status_page_stops_waiting_after_a_minute_and_offers_to_check_again(client, pending):
    _, url = pending
    response = client.get(url, {"since": int(time.time()) - 61}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "hx-trigger" not in body
    assert "belum mengonfirmasi" in body
    assert f'href="{url}">Periksa lagi</a>' in body
    assert 'href="https://pay.test/x"' in body


@pytest.mark.django_db
def test_the_status_page_keeps_waiting_within_the_minute(client, pending):
    _, url = pending
    body = client.get(url, {"since": int(time.time()) - 50}, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in body


@pytest.mark.django_db
@pytest.mark.parametrize("since", ["abc", "-5", "99999999999", "²"])
def test_a_bad_start_time_just_starts_waiting_now(client, pending, since):
    _, url = pending
    body = client.get(url, {"since": since}).content.decode()
    assert 'hx-trigger="every 2s"' in body


@pytest.mark.django_db
def test_a_paid_payment_shows_its_receipt_however_long_the_page_waited(client, pending):
    payment, url = pending
    services.settle(payment.pk, payment_type="qris")
    body = client.get(url, {"since": int(time.time()) - 600}).content.decode()
    assert "Pembayaran diterima" in body
