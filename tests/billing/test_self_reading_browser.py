"""Chromium at phone width: a customer reads their own meter, a reviewer accepts the stand, the customer sees it."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from billing.models import MeterReading, SelfReading
from tests.billing.self_reading_helpers import LAST_STAND, _window_and_media, jpeg, with_history  # noqa: F401
from tests.billing.test_browser import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_customer_sends_a_meter_stand_with_a_photo_and_sees_it_accepted_at_360_px(
    page, live_server, customer, customer_connection, billing_user
):
    period = timezone.localdate().replace(day=1)
    with_history(customer_connection, period)
    signed_in(page, live_server, customer)
    page.goto(reverse("billing:connection", args=[customer_connection.account_number]))
    page.get_by_role("link", name="Kirim stand meter Anda").click()

    page.get_by_label("Stand meter (m³)").fill(str(LAST_STAND + 20))
    page.get_by_label("Foto meter").set_input_files(
        {"name": "meter.jpg", "mimeType": "image/jpeg", "buffer": jpeg(taken="2026:05:03 07:15:00")}
    )
    page.get_by_role("button", name="Lihat hasilnya").click()

    preview = page.get_by_role("region", name="Apa arti stand ini")
    expect(preview).to_contain_text("20 m³")
    expect(preview.locator(".bill-lines tbody tr")).to_have_count(4)  # two blocks, the fixed charge, administration
    expect(preview).to_contain_text("Rp 65.000")
    expect(page.get_by_role("img", name="Foto meter Anda")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Kirim untuk diperiksa").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "pending")
    stand_url = page.url

    page.context.clear_cookies()
    signed_in(page, live_server, billing_user)
    page.goto(reverse("billing:self-reading-queue"))
    item = page.locator(".self-reading-review", has_text=customer_connection.account_number)
    expect(item).to_contain_text(str(LAST_STAND + 20))
    item.get_by_role("button", name="Terima").click()
    expect(page.locator(".self-reading-review")).to_have_count(0)
    reading = MeterReading.objects.get(connection=customer_connection, period=period)
    assert reading.source == MeterReading.Source.CUSTOMER

    page.context.clear_cookies()
    signed_in(page, live_server, customer)
    page.goto(stand_url)
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "accepted")
    expect(page.locator("[data-status]")).to_have_text(re.compile("Diterima"))
    assert SelfReading.objects.get().status == SelfReading.Status.ACCEPTED
