"""Counter staff journeys in real Chromium: find the right person among namesakes while typing."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import AuditEntry
from tests.browser import sign_in
from tests.factories.accounts import DEFAULT_PASSWORD, ServiceConnectionFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def namesakes():
    ServiceConnectionFactory(account_number="1001000041", customer__name="Siti Aminah", address="Jl. Mawar No. 1")
    return ServiceConnectionFactory(
        account_number="1001000042", customer__name="Siti Aminah", address="Jl. Melati No. 7"
    )


def test_a_cashier_types_part_of_a_name_and_opens_the_right_account(page, namesakes):
    cashier = StaffFactory(email="kasir@example.test", full_name="Kasir Loket", role="counter")
    sign_in(page, cashier.email, DEFAULT_PASSWORD)
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


@pytest.fixture
def page_without_javascript(_browser, live_server):
    context = _browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="id-ID")
    yield context.new_page()
    context.close()


def test_without_javascript_the_search_still_works_as_a_form(page_without_javascript, namesakes):
    page = page_without_javascript
    cashier = StaffFactory(email="kasir@example.test", role="counter")
    sign_in(page, cashier.email, DEFAULT_PASSWORD)
    page.goto("/staff/")
    page.get_by_label("Cari sambungan").fill("1001000042")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.locator(".result")).to_have_count(1)
    expect(page.locator(".result")).to_contain_text("Jl. Melati No. 7")
