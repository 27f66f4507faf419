"""Chromium at phone width: the customer sees the next price block coming on the dashboard."""

import pytest
from django.urls import reverse

from tests.billing.test_browser import signed_in
from tests.billing.test_nextblock import this_month_reading

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_shows_the_next_block_sentence_at_360_px(page, live_server, customer, customer_connection):
    this_month_reading(customer_connection, 9)
    signed_in(page, live_server, customer)
    page.goto(reverse("portal:dashboard"))
    sentence = page.locator(f'[data-account="{customer_connection.account_number}"] [data-next-block]')
    sentence.wait_for()
    text = sentence.inner_text()
    assert "Anda telah memakai 9 m³ sejak 1 " in text
    assert "mulai m³ ke-11 setiap m³ seharga Rp 4.300, bukan Rp 3.300" in text
    box = sentence.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 360  # readable without scrolling sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
