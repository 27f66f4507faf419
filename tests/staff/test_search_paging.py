"""Capped results on the search page: about how many match, the next page, and a query count that does not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import search
from billing.models import Bill
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.billing import BillFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SEARCH = reverse("portal:staff-search")


@pytest.fixture
def sitis(db):
    return [ServiceConnectionFactory(customer__name=f"Siti Aminah {index:03d}") for index in range(25)]


def result_numbers(body: str) -> list[str]:
    return [part.split('"', 1)[0] for part in body.split('data-account="')[1:]]


def test_capped_results_say_about_how_many_match_and_to_type_more(client, counter_user, sitis):
    client.force_login(counter_user)
    body = client.get(SEARCH, {"q": "siti"}).content.decode()
    assert "20 dari sekitar 25 — ketik lebih banyak untuk mempersempit" in body
    assert len(result_numbers(body)) == 20


def test_the_next_page_shows_the_rest(client, counter_user, sitis):
    client.force_login(counter_user)
    first = client.get(SEARCH, {"q": "siti"}).content.decode()
    assert f"{SEARCH}?q=siti&amp;page=2" in first
    second = client.get(SEARCH, {"q": "siti", "page": 2}).content.decode()
    assert "21–25 dari sekitar 25" in second
    assert set(result_numbers(first)).isdisjoint(result_numbers(second))
    assert len(result_numbers(first) + result_numbers(second)) == 25


def test_results_that_fit_on_one_page_are_counted_without_a_next_page(client, counter_user, sitis):
    client.force_login(counter_user)
    body = client.get(SEARCH, {"q": "siti aminah 007"}).content.decode()
    assert "1 hasil untuk" in body
    assert "page=2" not in body


def test_more_matches_than_are_counted_say_more_than(client, counter_user, sitis, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 22)
    client.force_login(counter_user)
    body = client.get(SEARCH, {"q": "siti"}).content.decode()
    assert "20 dari lebih dari 22 — ketik lebih banyak untuk mempersempit" in body


@pytest.mark.parametrize("page", ["abc", "0", "9999"])
def test_a_bad_page_number_says_so_and_shows_the_first_page(client, counter_user, sitis, page):
    client.force_login(counter_user)
    body = client.get(SEARCH, {"q": "siti", "page": page}).content.decode()
    assert 'class="error"' in body
    assert "20 dari sekitar 25" in body


def test_each_result_shows_its_arrears(client, counter_user, sitis):
    BillFactory(connection=sitis[0], total=125_500, status=Bill.Status.OPEN)
    client.force_login(counter_user)
    body = client.get(SEARCH, {"q": "siti aminah 000"}).content.decode()
    assert "Rp125.500" in body.replace("\xa0", "").replace(" ", "")


def test_the_page_runs_a_fixed_number_of_queries_however_many_results_it_shows(client, counter_user, sitis):
    rina = ServiceConnectionFactory(customer__name="Rina Wulandari")
    for connection_ in [*sitis, rina]:
        BillFactory(connection=connection_, status=Bill.Status.OPEN)
    client.force_login(counter_user)
    client.get(SEARCH, {"q": "rina"})  # the session and permissions are cached after the first request
    with CaptureQueriesContext(connection) as one:
        assert len(result_numbers(client.get(SEARCH, {"q": "rina"}).content.decode())) == 1
    with CaptureQueriesContext(connection) as twenty:
        assert len(result_numbers(client.get(SEARCH, {"q": "siti"}).content.decode())) == 20
    assert len(twenty) == len(one)
