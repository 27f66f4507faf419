"""The journey in Chromium at 360 px: a billing officer corrects a questioned reading; the customer then sees the
corrected bill and their credit."""

import pytest
from django.test import Client

from billing.models import Bill
from billing.payments import services
from tests.factories.corrections import billed_connection, questioned

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, live_server, user) -> None:
    """A session for `user` in the browser (staff with their second factor); signing in is accounts' journey."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_officer_corrects_the_reading_and_the_customer_sees_the_corrected_bill_and_credit(
    page, live_server, billing_user, counter_user, customer, customer_connection
):
    bill = billed_connection(usage=25, connection=customer_connection)
    services.take_cash(
        customer_connection, cashier=counter_user, bill_ids=[bill.pk], expected_total=90000, tendered=90000
    )
    questioned(Bill.objects.get(pk=bill.pk), reason="Rumah kosong, pemakaian tidak mungkin 25 m³")

    signed_in(page, live_server, billing_user)
    page.goto("/staff/")
    page.locator('a.tile[href="/staff/billing/questions/"]').click()
    page.locator("tr[data-dispute] a").first.click()
    page.get_by_text("Rumah kosong, pemakaian tidak mungkin 25 m³").wait_for()
    page.locator('[name="correct-reading"]').fill("100")
    page.locator('[name="correct-explanation"]').fill("Stand meter salah baca: 100, bukan 110.")
    page.locator('button[value="preview"]').click()
    preview = page.locator("[data-preview]")
    preview.wait_for()
    assert "Rp 50.000" in preview.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    page.locator('button[value="correct"]').click()
    page.locator('[data-answered="corrected"]').wait_for()

    signed_in(page, live_server, customer)
    page.goto(f"/billing/connections/{customer_connection.account_number}/")
    page.locator("[data-credit-balance]").get_by_text("Saldo kredit Rp 40.000").wait_for()
    page.get_by_role("link", name="Januari 2026").first.click()
    page.locator("[data-replaces]").wait_for()
    assert "Kredit dari pembayaran sebelumnya" in page.content()
    assert "−Rp 50.000" in page.content()
    page.locator("[data-replaces] a").click()
    page.locator("[data-replaced]").wait_for()
