"""The printed receipt sets its own paper: A4, or the 80 mm thermal roll, never the browser's US Letter."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from billing.payments import services
from tests.browser import sign_in_staff
from tests.factories.accounts import DEFAULT_PASSWORD, ServiceConnectionFactory
from tests.factories.payments import open_bills_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MM = 72 / 25.4  # PDF points per millimetre


@pytest.fixture
def receipt_url(counter_user):
    connection = ServiceConnectionFactory()
    bills = open_bills_of(connection, 50_000, 75_500)
    payment = services.take_cash(
        connection, cashier=counter_user, bill_ids=[b.pk for b in bills], expected_total=125_500, tendered=130_000
    )
    return reverse("payments:receipt-print", args=[payment.receipt.pk])


def printed_page_size_mm(page) -> tuple[int, int]:
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    box = pdf.pages[0].mediabox
    return round(float(box.width) / MM), round(float(box.height) / MM)


def test_the_a4_layout_prints_on_a4(page, counter_user, receipt_url):
    sign_in_staff(page, counter_user, DEFAULT_PASSWORD)
    page.goto(receipt_url + "?layout=a4")
    assert printed_page_size_mm(page) == (210, 297)


def test_the_thermal_layout_prints_80_mm_wide_on_one_page(page, counter_user, receipt_url):
    sign_in_staff(page, counter_user, DEFAULT_PASSWORD)
    page.goto(receipt_url + "?layout=thermal")
    assert printed_page_size_mm(page)[0] == 80
    assert len(PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True))).pages) == 1
