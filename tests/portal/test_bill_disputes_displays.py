"""Every page that shows what is owed shows a held bill as "being checked" and leaves it out of the amount."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from billing.disputes import open_dispute
from tests.factories.accounts import ConnectionLinkFactory, UserFactory
from tests.factories.billing import BillFactory

pytestmark = pytest.mark.django_db
HELD = "sedang diperiksa"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def held_and_open(connection, by):
    held = BillFactory(connection=connection, period=datetime.date(2026, 1, 1), total=30000)
    newer = BillFactory(connection=connection, period=datetime.date(2026, 2, 1), total=45000)
    open_dispute(held, "Terlalu mahal", by=by)
    return held, newer


def test_the_public_lookup_shows_the_held_bill_apart_and_totals_only_the_open_one(
    client, customer_connection, customer
):
    held_and_open(customer_connection, customer)
    body = client.post(reverse("billing:lookup"), {"account_number": customer_connection.account_number}).content
    body = body.decode()
    assert 'class="num total">Rp 45.000' in body
    assert 'data-held="2026-01"' in body
    assert HELD in body


def test_the_public_lookup_with_only_a_held_bill_says_it_is_being_checked(client, customer_connection, customer):
    open_dispute(BillFactory(connection=customer_connection, total=30000), "Terlalu mahal", by=customer)
    body = client.post(reverse("billing:lookup"), {"account_number": customer_connection.account_number}).content
    body = body.decode()
    assert HELD in body
    assert "Tidak ada tagihan" not in body


def test_the_lookup_query_count_stays_the_same_with_held_bills(
    client, customer_connection, customer, django_assert_max_num_queries
):
    held_and_open(customer_connection, customer)
    with django_assert_max_num_queries(3):
        client.post(reverse("billing:lookup"), {"account_number": customer_connection.account_number})


def test_the_dashboard_shows_the_amount_due_without_the_held_bill(customer_client, customer_connection, customer):
    held_and_open(customer_connection, customer)
    body = customer_client.get(reverse("portal:dashboard")).content.decode()
    assert "Rp 45.000" in body
    assert "Rp 30.000 ditahan" in body


def test_the_dashboard_query_count_stays_the_same_with_held_bills(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    ConnectionLinkFactory(user=user)
    with django_assert_max_num_queries(7) as few:
        client.get(reverse("portal:dashboard"))
    for _ in range(3):
        held_and_open(ConnectionLinkFactory(user=user).connection, user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("portal:dashboard"))


def test_the_connection_page_lists_the_held_bill_and_offers_to_pay_only_the_rest(
    customer_client, customer_connection, customer
):
    held, newer = held_and_open(customer_connection, customer)
    body = customer_client.get(reverse("billing:connection", args=[customer_connection.account_number])).content
    body = body.decode()
    assert 'class="big-amount">Rp 45.000' in body
    assert HELD in body
    assert reverse("portal:question-bill", args=[newer.pk]) in body
    assert reverse("portal:question-bill", args=[held.pk]) not in body


def test_the_counters_account_page_shows_arrears_without_the_held_bill(
    client, counter_user, customer_connection, customer
):
    held_and_open(customer_connection, customer)
    client.force_login(counter_user)
    body = client.get(reverse("portal:staff-account", args=[customer_connection.account_number])).content.decode()
    assert 'class="amount-overdue">Rp 45.000' in body
    assert "Rp 30.000 ditahan" in body
    assert HELD in body
    assert reverse("payments:counter-cash", args=[customer_connection.pk]) in body


def test_the_account_page_offers_cash_when_only_a_held_bill_is_left(
    client, counter_user, customer_connection, customer
):
    open_dispute(BillFactory(connection=customer_connection), "Terlalu mahal", by=customer)
    client.force_login(counter_user)
    body = client.get(reverse("portal:staff-account", args=[customer_connection.account_number])).content.decode()
    assert reverse("payments:counter-cash", args=[customer_connection.pk]) in body


def test_the_account_page_query_count_stays_the_same_with_held_bills(
    client, counter_user, customer_connection, customer, django_assert_num_queries
):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    url = reverse("portal:staff-account", args=[customer_connection.account_number])
    client.force_login(counter_user)
    client.get(url)
    with CaptureQueriesContext(db) as before:
        client.get(url)
    held_and_open(customer_connection, customer)
    with django_assert_num_queries(len(before)):
        client.get(url)
