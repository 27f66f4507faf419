import datetime
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.billing import BillFactory, BillLineFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anyone_checks_a_bill_by_account_number_and_sees_the_holder_masked(page):
    connection = ServiceConnectionFactory(
        account_number="1000000042", customer__name="Budi Santoso", address="Jl. Merdeka No. 12"
    )
    BillFactory(connection=connection, total=125500)
    page.goto("/")
    page.locator(f'.tile[href="{reverse("billing:lookup")}"]').click()
    page.get_by_label("Nomor pelanggan").fill("1000000042")
    page.get_by_role("button", name="Cek").click()
    result = page.locator(".lookup-result")
    result.get_by_text("Rp 125.500").first.wait_for()
    assert "BUD* SAN****" in result.inner_text()
    assert "Budi" not in page.content()


def test_an_unknown_account_number_gets_a_clear_message(page):
    page.goto(reverse("billing:lookup"))
    page.get_by_label("Nomor pelanggan").fill("1999999999")
    page.get_by_role("button", name="Cek").click()
    page.get_by_role("alert").get_by_text("tidak menemukan sambungan").wait_for()


def signed_in(page, live_server, user) -> None:
    """A session for `user` in the browser; signing in itself is the accounts app's journey."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_customer_opens_a_bill_and_downloads_its_pdf(page, live_server, customer, customer_connection):
    bill = BillFactory(connection=customer_connection, total=125500, period=datetime.date(2026, 1, 1))
    BillLineFactory(bill=bill)
    signed_in(page, live_server, customer)
    page.goto("/dashboard/")
    page.get_by_role("link", name="Semua rekening").click()
    page.get_by_role("link", name="Januari 2026").first.click()
    page.get_by_text("Rp 125.500").first.wait_for()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh PDF").click()
    text = PdfReader(BytesIO(download_info.value.path().read_bytes())).pages[0].extract_text()
    assert customer_connection.account_number in text
    assert "Rp 125.500" in text


def test_older_bills_are_appended_below_the_history(page, live_server, customer, customer_connection):
    for n in range(20):
        period = datetime.date(2025 - n // 12, 12 - n % 12, 1)
        BillFactory(connection=customer_connection, period=period, status="paid")
    signed_in(page, live_server, customer)
    page.goto(f"/billing/connections/{customer_connection.account_number}/")
    rows = page.locator("#history tbody tr")
    assert rows.count() == 13  # twelve bills and the "older bills" row
    page.get_by_role("link", name="Tagihan sebelumnya").click()
    page.get_by_role("link", name="Mei 2024").wait_for()
    assert rows.count() == 20
    assert page.get_by_role("link", name="Desember 2025").is_visible()  # appended, not a new page
    assert "before=" not in page.url
