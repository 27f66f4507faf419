"""Counter staff journeys in real Chromium: find the right person among namesakes while typing."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import AuditEntry
from billing.payments.models import Payment
from complaints.categories import ensure_standard_categories
from tests.browser import sign_in_staff
from tests.factories.accounts import DEFAULT_PASSWORD, ServiceConnectionFactory, StaffFactory
from tests.factories.payments import open_bills_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def namesakes():
    ServiceConnectionFactory(account_number="1001000041", customer__name="Siti Aminah", address="Jl. Mawar No. 1")
    return ServiceConnectionFactory(
        account_number="1001000042", customer__name="Siti Aminah", address="Jl. Melati No. 7"
    )


def test_a_cashier_finds_the_right_namesake_takes_cash_and_prints_the_receipt(page, namesakes):
    open_bills_of(namesakes, 50_000, 75_500)
    cashier = StaffFactory(email="kasir@example.test", full_name="Kasir Loket", role="counter")
    sign_in_staff(page, cashier, DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", name="Ruang kerja petugas")).to_be_visible()

    page.get_by_label("Cari sambungan").press_sequentially("siti am", delay=40)
    results = page.locator("#search-results .result")
    expect(results).to_have_count(2)
    expect(page).to_have_url(re.compile(r"/staff/search/\?q=siti"))
    page.locator(".result", has_text="Jl. Melati No. 7").get_by_role("link").click()

    expect(page).to_have_url(re.compile(r"/staff/connections/1001000042/$"))
    expect(page.get_by_role("heading", name=re.compile("Siti Aminah"))).to_be_visible()
    expect(page.get_by_text("Jl. Melati No. 7").first).to_be_visible()
    assert AuditEntry.objects.filter(action="connection.view", actor=cashier, connection=namesakes).count() == 1
    expect(page.locator(".account-head")).to_contain_text("Tunggakan Rp 125.500")

    page.get_by_role("link", name="Terima pembayaran tunai").first.click()
    page.get_by_label("Uang tunai diterima (Rp)").fill("130000")
    page.get_by_role("button", name="Hitung kembalian").click()
    expect(page.locator(".cash-change")).to_contain_text("Rp 4.500")
    page.get_by_role("button", name="Konfirmasi pembayaran").click()

    receipt = Payment.objects.get(connection=namesakes).receipt
    expect(page).to_have_url(re.compile(rf"/payments/receipts/{receipt.pk}/print/$"))
    expect(page.get_by_text(receipt.number)).to_be_visible()
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Cetak").click()
    assert page.evaluate("window.printed") is True

    page.goto(f"/staff/connections/{namesakes.account_number}/")
    expect(page.locator(f"tr[data-order='{receipt.payment.order_id}']")).to_contain_text(receipt.number)
    expect(page.get_by_text("Tidak ada tunggakan")).to_be_visible()


@pytest.fixture
def page_without_javascript(_browser, live_server):
    context = _browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="id-ID")
    yield context.new_page()
    context.close()


def test_without_javascript_the_search_still_works_as_a_form(page_without_javascript, namesakes):
    page = page_without_javascript
    cashier = StaffFactory(email="kasir@example.test", role="counter")
    sign_in_staff(page, cashier, DEFAULT_PASSWORD)
    page.goto("/staff/")
    page.get_by_label("Cari sambungan").fill("1001000042")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.locator(".result")).to_have_count(1)
    expect(page.locator(".result")).to_contain_text("Jl. Melati No. 7")


def test_a_cashier_files_a_complaint_for_the_customer_from_the_account_page(page, namesakes):
    ensure_standard_categories()
    cashier = StaffFactory(email="kasir@example.test", role="counter")
    sign_in_staff(page, cashier, DEFAULT_PASSWORD)
    page.goto(f"/staff/connections/{namesakes.account_number}/")
    page.get_by_role("link", name="Catat pengaduan").first.click()
    expect(page.get_by_label("Dilaporkan oleh")).to_have_value("Siti Aminah")
    page.get_by_label("Apa masalahnya?").select_option(label="Air tidak mengalir")
    page.get_by_label("Keterangan dari pelanggan").fill("Air tidak mengalir sejak subuh.")
    page.get_by_role("button", name="Catat pengaduan ini").click()

    expect(page.get_by_text(re.compile(r"Pengaduan ADU-\d{4}-\d{6} sudah dicatat\."))).to_be_visible()
    expect(page.locator("#complaints-title")).to_be_visible()
    expect(page.locator("[data-ticket]")).to_contain_text("Air tidak mengalir")
