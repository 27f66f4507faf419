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
    # 6: this month's readings for the next-block sentence, the usage alerts asked for; the chart's months
    # and the unpaid bills come with the history's first page
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


def test_the_pdf_embeds_only_the_glyphs_it_uses(customer_client, bill):
    """Fonts are subset (their names carry a subset tag, `ABCDEF+DejaVuSans`): a bill stays a few dozen KB."""
    from io import BytesIO

    from pypdf import PdfReader

    response = customer_client.get(reverse("billing:bill-pdf", args=[bill.pk]))
    fonts = PdfReader(BytesIO(response.content)).pages[0]["/Resources"]["/Font"]
    names = [str(font.get_object()["/BaseFont"]) for font in fonts.values()]
    assert names
    assert all(name[1:7].isupper() and name[7] == "+" for name in names), names


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
    with django_assert_max_num_queries(7) as few:  # 7: this month's readings for the next-block sentence
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


# --- bill history, page by page ---------------------------------------------------------------------------


def months_of_bills(connection, count):
    """`count` paid monthly bills back from December 2025; the n-th newest totals Rp 100.000 + n."""
    tariff = TariffFactory(customer_class=connection.customer_class)
    for n in range(count):
        period = datetime.date(2025 - n // 12, 12 - n % 12, 1)
        BillFactory(connection=connection, tariff=tariff, period=period, total=100000 + n, status=Bill.Status.PAID)


def history_url(connection, **query):
    url = reverse("billing:connection", args=[connection.account_number])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_history_shows_the_newest_twelve_bills_and_a_link_to_older_ones(customer_client, customer_connection):
    months_of_bills(customer_connection, 30)
    body = customer_client.get(history_url(customer_connection)).content.decode()
    assert "Rp 100.011" in body  # January 2025, the twelfth
    assert "Rp 100.012" not in body
    assert 'href="?before=2025-01#history"' in body
    assert 'hx-get="?before=2025-01"' in body


def test_the_older_bills_link_works_without_javascript(customer_client, customer_connection):
    months_of_bills(customer_connection, 30)
    body = customer_client.get(history_url(customer_connection, before="2025-01")).content.decode()
    assert "<html" in body
    assert "Rp 100.012" in body
    assert "Rp 100.023" in body
    assert "Rp 100.011" not in body
    assert "Rp 100.024" not in body
    assert 'href="?before=2024-01#history"' in body
    assert 'href="?#history"' in body


def test_with_htmx_the_older_bills_come_as_rows_to_append(customer_client, customer_connection):
    months_of_bills(customer_connection, 30)
    response = customer_client.get(history_url(customer_connection, before="2025-01"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert "<table" not in body
    assert body.count("<tr") == 13  # twelve bills and the row with the next link
    assert 'hx-get="?before=2024-01"' in body


def test_the_last_page_has_no_older_bills_link(customer_client, customer_connection):
    months_of_bills(customer_connection, 30)
    response = customer_client.get(history_url(customer_connection, before="2024-01"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.count("<tr") == 6
    assert "before=" not in body


def test_a_page_older_than_every_bill_says_so(customer_client, customer_connection):
    months_of_bills(customer_connection, 3)
    body = customer_client.get(history_url(customer_connection, before="2020-01")).content.decode()
    assert "Tidak ada tagihan yang lebih lama." in body


@pytest.mark.parametrize("before", ["garbage", "2025-13", "", "1999-01", "2025-01-01"])
def test_a_garbled_page_shows_the_newest_bills(customer_client, customer_connection, before):
    months_of_bills(customer_connection, 14)
    response = customer_client.get(history_url(customer_connection, before=before))
    assert response.status_code == 200
    assert "Rp 100.000" in response.content.decode()


def test_open_bills_older_than_the_page_are_still_due(customer_client, customer_connection):
    months_of_bills(customer_connection, 30)
    Bill.objects.filter(connection=customer_connection, total=100029).update(status=Bill.Status.OPEN)
    body = customer_client.get(history_url(customer_connection)).content.decode()
    assert "Rp 100.029" in body


def test_another_customers_older_bills_are_404(client, customer_connection, other_customer):
    client.force_login(other_customer)
    response = client.get(history_url(customer_connection, before="2025-01"), headers={"HX-Request": "true"})
    assert response.status_code == 404


# The session is read from the cache, not counted here: the user, the connection, then the page's own reads.
@pytest.mark.parametrize(("htmx", "queries"), [(False, 7), (True, 3)])
def test_each_history_page_takes_the_same_number_of_queries(
    customer_client, customer_connection, django_assert_num_queries, htmx, queries
):
    headers = {"HX-Request": "true"} if htmx else {}
    url = history_url(customer_connection, before="2025-01")
    months_of_bills(customer_connection, 14)
    with django_assert_num_queries(queries):
        customer_client.get(url, headers=headers)
    Bill.objects.filter(connection=customer_connection).delete()
    months_of_bills(customer_connection, 40)
    with django_assert_num_queries(queries):
        customer_client.get(url, headers=headers)
