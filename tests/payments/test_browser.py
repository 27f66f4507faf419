"""Payment journeys in real Chromium at phone width. The sandbox's server-to-server notification really
reaches the live server (SITE_URL points at it; the notifying task runs eagerly in the sandbox's request)."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from billing.models import Bill
from billing.payments import services, tokens
from billing.payments.models import Payment
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import open_bills_of, pending_payment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _site_url(settings, live_server):
    settings.SITE_URL = live_server.url


def signed_in(page, live_server, user) -> None:
    """A session for `user` in the browser; signing in itself is the accounts app's journey."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_look_up_a_bill_pay_through_the_sandbox_and_get_the_receipt(page):
    connection = ServiceConnectionFactory(account_number="1000000042", customer__name="Budi Santoso")
    open_bills_of(connection, 50000, 75500)

    page.goto(reverse("billing:lookup"))
    page.get_by_label("Nomor pelanggan").fill("1000000042")
    page.get_by_role("button", name="Cek").click()
    page.get_by_label("E-mail untuk kuitansi").fill("warga@example.test")
    page.get_by_role("button", name="Bayar online sekarang").click()

    expect(page.get_by_text("SANDBOX")).to_be_visible()
    expect(page.get_by_role("heading", name="Bayar Rp 125.500")).to_be_visible()
    page.get_by_label("QRIS").check()
    page.get_by_role("button", name="Bayar sekarang").click()

    expect(page.get_by_role("heading", name="Pembayaran diterima. Terima kasih!")).to_be_visible()
    receipt = Payment.objects.get().receipt
    expect(page.get_by_text(f"Kuitansi {receipt.number}")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh kuitansi (PDF)").click()
    assert download.value.suggested_filename == f"kuitansi-{receipt.number.replace('/', '-')}.pdf"

    [message] = mail.outbox
    assert message.to == ["BUD* SAN**** <warga@example.test>"]  # an address not on record: masked like the lookup
    assert receipt.number in message.subject
    assert message.attachments[0][2] == "application/pdf"


def test_the_return_page_waits_then_shows_the_receipt_once_the_gateway_confirms(page, customer_connection):
    payment = pending_payment(open_bills_of(customer_connection, 50000))
    page.goto(f"/payments/status/{tokens.status_token(payment)}/?transaction_status=settlement")
    expect(page.get_by_role("heading", name="Menunggu konfirmasi dari layanan pembayaran…")).to_be_visible()

    services.settle(payment.pk, payment_type="gopay")  # the notification arrives while the page is open

    expect(page.get_by_role("heading", name="Pembayaran diterima. Terima kasih!")).to_be_visible(timeout=8000)


def test_a_cashier_takes_cash_and_prints_the_receipt(page, live_server, counter_user):
    connection = ServiceConnectionFactory(account_number="1000000077")
    open_bills_of(connection, 50000, 75500)
    signed_in(page, live_server, counter_user)

    page.goto(f"/staff/cash/{connection.pk}/")
    expect(page.get_by_text("Rp 125.500")).to_be_visible()
    page.get_by_label("Uang tunai diterima (Rp)").fill("150000")
    page.get_by_role("button", name="Hitung kembalian").click()
    expect(page.locator(".cash-change")).to_contain_text("Rp 24.500")
    page.get_by_role("button", name="Konfirmasi pembayaran").click()

    receipt = Payment.objects.get().receipt
    expect(page).to_have_url(re.compile(rf"/payments/receipts/{receipt.pk}/print/$"))
    expect(page.get_by_text(receipt.number)).to_be_visible()
    page.get_by_role("link", name="Struk 80 mm").click()
    expect(page.locator("body.print-thermal")).to_be_visible()
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Cetak").click()
    assert page.evaluate("window.printed") is True
    assert set(Bill.objects.values_list("status", flat=True)) == {Bill.Status.PAID}


def test_a_supervisor_reverses_a_payment_with_a_reason(page, live_server, supervisor, counter_user):
    connection = ServiceConnectionFactory(account_number="1000000088")
    bills = open_bills_of(connection, 50000)
    payment = services.take_cash(
        connection, cashier=counter_user, bill_ids=[bills[0].pk], expected_total=50000, tendered=50000
    )
    signed_in(page, live_server, supervisor)

    page.goto(f"/staff/cash/{connection.pk}/")
    page.locator(f"tr[data-order='{payment.order_id}']").get_by_role("link", name="Batalkan").click()
    page.get_by_label("Alasan").fill("Uang yang diterima ternyata palsu")
    page.get_by_role("button", name="Batalkan pembayaran ini").click()

    expect(page.get_by_text("Pembayaran dibatalkan; tagihannya terbuka kembali")).to_be_visible()
    expect(page.locator(f"tr[data-order='{payment.order_id}']")).to_contain_text("dibatalkan")
    expect(page.get_by_role("button", name="Hitung kembalian")).to_be_visible()  # the bill is open again
    payment.receipt.refresh_from_db()
    assert payment.receipt.void
