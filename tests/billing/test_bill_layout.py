"""The bill's charges table is narrow enough for a phone and its column headings are distinct."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories.billing import BillFactory, BillLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bill_page(customer_client, customer_connection):
    bill = BillFactory(connection=customer_connection, total=125500, due_date=datetime.date(2026, 1, 20))
    BillLineFactory(bill=bill, quantity=10, unit_price=2000)
    return customer_client.get(reverse("billing:bill", args=[bill.pk])).content.decode()


def test_no_two_columns_of_the_charges_table_share_a_heading(bill_page):
    table = re.search(r'<table class="bill-lines">.*?</thead>', bill_page, re.S).group(0)
    headings = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
    assert len(headings) == len(set(headings)), headings


def test_quantity_and_price_stay_readable_beside_the_item(bill_page):
    assert "10 m³ × Rp 2.000" in bill_page
