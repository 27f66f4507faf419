"""Ranking on Postgres, where names match by trigram similarity: typos, word order, the closest name first."""

import pytest

from accounts.search import Match, search_connections
from tests.factories.accounts import ServiceConnectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def names(hits) -> list[str]:
    return [hit.connection.customer.name for hit in hits]


@pytest.fixture
def people():
    for name in ("Siti Aminah", "Siti Nurhaliza", "Aminah Lubis", "Budi Santoso", "Siti Aminah Nasution", "Rahmat"):
        ServiceConnectionFactory(customer__name=name, address="Jl. Kenari No. 1")


@pytest.mark.parametrize("typed", ["siti aminh", "siti aminnah", "sity aminah", "siti amina"])
def test_a_misspelt_name_still_finds_the_person_first(people, typed):
    assert names(search_connections(typed))[0] == "Siti Aminah"


def test_surname_first_finds_the_same_person_first(people):
    assert names(search_connections("aminah siti"))[0] == "Siti Aminah"


def test_the_closest_whole_name_ranks_above_longer_names_with_the_same_words(people):
    ranked = names(search_connections("siti aminah"))
    assert ranked.index("Siti Aminah") < ranked.index("Siti Aminah Nasution")


def test_a_name_sharing_one_word_ranks_below_the_full_match(people):
    ranked = names(search_connections("siti aminah"))
    assert ranked[0] == "Siti Aminah"
    assert "Rahmat" not in ranked


def test_a_misspelt_address_word_still_finds_the_street():
    wanted = ServiceConnectionFactory(customer__name="Andi", address="Jl. Cendrawasih No. 12")
    hits = search_connections("cendrawasi")
    assert hits[0].connection == wanted
    assert hits[0].match == Match.ADDRESS


def test_an_exact_account_number_outranks_a_similar_name():
    wanted = ServiceConnectionFactory(account_number="1001000042", customer__name="Wahyu")
    ServiceConnectionFactory(customer__name="Wahyu 1001000042")
    assert search_connections("1001000042")[0].connection == wanted
