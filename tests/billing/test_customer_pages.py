import datetime

import pytest
from django.urls import reverse

from accounts.services import LinkRefused, link_connection
from billing.models import Bill
from tests.factories.accounts import UserFactory
from tests.factories.billing import BillFactory, BillLineFactory, TariffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bill(customer_connection):
    bill = BillFactory(connection=customer_connection, total=125500, due_date=datetime.date(2026, 1, 20))
    BillLineFactory(bill=bill, quantity=10, unit_price=2000)
    return bill


def twelve_months_of_bills(connection):
    tariff = TariffFactory(customer_class=connection.customer_class)
    for month in range(1, 13):
        BillFactory(connection=connection, tariff=tariff, period=datetime.date(2025, month, 1), usage=month)


# --- who may see what ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["billing:bill", "billing:bill-pdf"])
def test_a_bill_is_404_for_another_customer(client, bill, other_customer, name):
    client.force_login(other_customer)
    assert client.get(reverse(name, args=[bill.pk])).status_code == 404


@pytest.mark.parametrize("name", ["billing:bill", "billing:bill-pdf"])
def test_strangers_are_sent_to_sign_in(client, bill, name):
    response = client.get(reverse(name, args=[bill.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_staff_without_the_bill_permission_get_404(client, bill, field_user):
    client.force_login(field_user)
    assert client.get(reverse("billing:bill", args=[bill.pk])).status_code == 404


def test_counter_staff_can_open_any_bill(client, bill, counter_user):
    client.force_login(counter_user)
    assert client.get(reverse("billing:bill", args=[bill.pk])).status_code == 200


def test_another_customers_connection_page_is_404(client, customer_connection, other_customer):
    client.force_login(other_customer)
    url = reverse("billing:connection", args=[customer_connection.account_number])
    assert client.get(url).status_code == 404


# --- what the holder sees -----------------------------------------------------------------------------------


def test_the_bill_page_shows_usage_lines_total_and_due_date(customer_client, bill):
    body = customer_client.get(reverse("billing:bill", args=[bill.pk])).content.decode()
    assert "Rp 125.500" in body
    assert "Rp 20.000" in body
    assert "85" in body
    assert "100" in body
    assert "2026" in body


def test_the_connection_page_shows_open_bills_history_and_the_usage_chart(customer_client, customer_connection):
    twelve_months_of_bills(customer_connection)
    Bill.objects.filter(period__lt=datetime.date(2025, 11, 1)).update(status=Bill.Status.PAID)
    response = customer_client.get(reverse("billing:connection", args=[customer_connection.account_number]))
    body = response.content.decode()
    assert body.count("<rect") == 12
    assert "badge-overdue" in body
    assert "Rp 100.000" in body  # two open bills of Rp 50.000


def test_the_connection_page_query_count_does_not_grow_with_bills(
    customer_client, customer_connection, django_assert_max_num_queries
):
    url = reverse("billing:connection", args=[customer_connection.account_number])
    with django_assert_max_num_queries(6) as few:
        customer_client.get(url)
    twelve_months_of_bills(customer_connection)
    with django_assert_max_num_queries(len(few.captured_queries)):
        customer_client.get(url)


def test_the_bill_page_query_count_does_not_grow_with_lines(customer_client, bill, django_assert_max_num_queries):
    for _ in range(10):
        BillLineFactory(bill=bill)
    with django_assert_max_num_queries(6):
        customer_client.get(reverse("billing:bill", args=[bill.pk]))


def test_the_pdf_is_an_a4_bill_with_account_number_and_total(customer_client, bill):
    from io import BytesIO

    from pypdf import PdfReader

    response = customer_client.get(reverse("billing:bill-pdf", args=[bill.pk]))
    assert response["Content-Type"] == "application/pdf"
    page = PdfReader(BytesIO(response.content)).pages[0]
    text = page.extract_text()
    assert bill.connection.account_number in text
    assert "Rp 125.500" in text
    assert round(float(page.mediabox.width)) == 595  # A4 in points


# --- the dashboard ------------------------------------------------------------------------------------------


def test_the_dashboard_card_shows_the_amount_due_and_links_to_the_bills(customer_client, customer_connection, bill):
    body = customer_client.get(reverse("portal:dashboard")).content.decode()
    assert "Rp 125.500" in body
    assert reverse("billing:connection", args=[customer_connection.account_number]) in body


def test_the_dashboard_query_count_does_not_grow_with_connections_or_bills(client, django_assert_max_num_queries):
    from tests.factories.accounts import ConnectionLinkFactory

    user = UserFactory()
    client.force_login(user)
    ConnectionLinkFactory(user=user)
    with django_assert_max_num_queries(6) as few:
        client.get(reverse("portal:dashboard"))
    for _ in range(3):
        twelve_months_of_bills(ConnectionLinkFactory(user=user).connection)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("portal:dashboard"))


# --- linking with the latest bill's amount ------------------------------------------------------------------


def test_a_connection_can_be_linked_with_the_amount_of_its_latest_bill(unlinked_connection):
    BillFactory(connection=unlinked_connection, period=datetime.date(2025, 12, 1), total=40000)
    BillFactory(connection=unlinked_connection, period=datetime.date(2026, 1, 1), total=125500)
    user = UserFactory()
    assert link_connection(user, unlinked_connection.account_number, "Rp 125.500") == unlinked_connection


def test_an_older_bills_amount_does_not_link(unlinked_connection):
    BillFactory(connection=unlinked_connection, period=datetime.date(2025, 12, 1), total=40000)
    BillFactory(connection=unlinked_connection, period=datetime.date(2026, 1, 1), total=125500)
    with pytest.raises(LinkRefused):
        link_connection(UserFactory(), unlinked_connection.account_number, "40000")
