"""The bill lookup's result card on a 360 px phone: overdue bills, their badges and the total all in view, and
the "sign in to pay" button apart from the guest payment form below it."""

import datetime

import pytest
from django.urls import reverse

from tests.browser.checks import check_page
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.billing import BillFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def looked_up(page):
    connection = ServiceConnectionFactory(account_number="1000000042")
    for month in (1, 2, 3):
        BillFactory(connection=connection, period=datetime.date(2025, month, 1), total=1_234_500 + month)
    page.goto(reverse("billing:lookup"))
    page.get_by_label("Nomor pelanggan").fill("1000000042")
    page.get_by_role("button", name="Cek").click()
    page.locator(".lookup-result .total").wait_for()
    return page


def test_the_result_card_reads_at_360_px(looked_up):
    found = check_page(looked_up)
    assert found["scrollWidth"] <= 360
    assert found["outside"] == []
    assert found["blobs"] == []  # "lewat jatuh tempo" stays one pill
    assert found["axe"] == []


def test_the_sign_in_button_does_not_touch_the_label_below(looked_up):
    button = looked_up.locator(".lookup-result a.button").bounding_box()
    label = looked_up.locator(".lookup-result .pay-form label").first.bounding_box()
    assert label["y"] - (button["y"] + button["height"]) >= 12
