"""The search-quality rules counter staff rely on (issue 9), on Postgres: word prefixes of names, street words,
any 6 digits of a phone, and typing more never losing a match that still fits."""

import itertools
import re

import pytest

from accounts.search import Match, search_connections
from tests.factories.accounts import CustomerFactory, ServiceConnectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def numbers(hits) -> list[str]:
    return [hit.connection.account_number for hit in hits]


def person(name: str, **extra):
    return ServiceConnectionFactory(customer__name=name, address=extra.pop("address", "Jl. Kenari No. 1"), **extra)


@pytest.mark.parametrize("typed", ["bud", "sant", "Santo", "BUDI san", "sant bud"])
def test_three_or_more_letters_of_any_word_of_a_name_find_it(typed):
    wanted = person("Budi Santoso")
    person("Rahmat Hidayat")
    hits = search_connections(typed)
    assert numbers(hits) == [wanted.account_number]
    assert hits[0].match == Match.NAME


@pytest.mark.parametrize("typed", ["Jalan Merdeka", "Jl. Merdeka", "jln merdeka", "merdeka"])
def test_jalan_and_jl_are_the_same_street_word(typed):
    wanted = {person("Andi", address="Jl. Merdeka No. 5"), person("Rudi", address="Jalan Merdeka No. 9")}
    person("Wati", address="Jl. Veteran No. 3")
    hits = search_connections(typed)
    assert set(numbers(hits)) == {connection.account_number for connection in wanted}
    assert {hit.match for hit in hits} == {Match.ADDRESS}


@pytest.mark.parametrize("typed", ["Gg. Sudirman", "Gang Sudirman", "gg sudir"])
def test_gang_and_gg_are_the_same_street_word(typed):
    wanted = {person("Andi", address="Gg. Sudirman No. 7"), person("Rudi", address="Gang Sudirman No. 3")}
    person("Wati", address="Gang Mawar No. 2")
    assert set(numbers(search_connections(typed))) == {connection.account_number for connection in wanted}


@pytest.mark.parametrize(
    "typed", ["0812-7345", "081273", "+62 812 734", "62812734", "273456", "2734-5678", "(0812) 7345 678"]
)
def test_six_or_more_digits_of_a_phone_in_any_format_find_the_holder(typed):
    wanted = ServiceConnectionFactory(customer=CustomerFactory(phone="+6281273456789"))
    ServiceConnectionFactory(customer=CustomerFactory(phone="+6285299990000"))
    hits = search_connections(typed)
    assert numbers(hits) == [wanted.account_number]
    assert hits[0].match == Match.PHONE


def test_fewer_than_six_digits_of_a_phone_find_nothing():
    ServiceConnectionFactory(customer=CustomerFactory(phone="+6281273456789"))
    assert search_connections("73456") == []


def test_digits_starting_account_numbers_and_inside_a_phone_show_both_accounts_first():
    by_phone = ServiceConnectionFactory(account_number="2001000001", customer=CustomerFactory(phone="+6281100123456"))
    by_account = ServiceConnectionFactory(account_number="1001234567", customer=CustomerFactory(phone=""))
    hits = search_connections("100123")
    assert numbers(hits) == [by_account.account_number, by_phone.account_number]
    assert [hit.match for hit in hits] == [Match.ACCOUNT, Match.PHONE]


def test_a_misspelt_name_is_still_found():
    wanted = person("Budi Santoso")
    person("Rahmat Hidayat")
    assert numbers(search_connections("budi santsoo")) == [wanted.account_number]


def test_a_name_matching_no_rule_tries_every_misspelling_pass_in_one_transaction(django_assert_num_queries):
    person("Budi Santoso")
    # The transaction's setting, the areas, the name and address rules, then three trigram passes (strict and
    # loose name, street) of a setting and a query each. The one savepoint pair is the search's own transaction,
    # nested in the test's: the passes add none.
    with django_assert_num_queries(12) as captured:
        assert search_connections("qqzx wwvy") == []
    assert sum(query["sql"].startswith("SAVEPOINT") for query in captured.captured_queries) == 1


def fits_name(name: str, typed: str) -> bool:
    words = [word for word in re.findall(r"[^\W_]+", typed.lower()) if len(word) >= 3]
    return all(any(part.startswith(word) for part in name.lower().split()) for word in words)


def assert_typing_more_keeps_what_still_fits(typing: list[str], fits) -> None:
    for shorter, longer in itertools.pairwise(typing):
        kept = {hit.connection.pk for hit in search_connections(longer)}
        for hit in search_connections(shorter):
            if fits(hit.connection, longer):
                assert hit.connection.pk in kept, f"{hit.connection} found for {shorter!r}, lost for {longer!r}"


def test_typing_more_of_a_name_never_loses_a_name_that_still_fits():
    for index in range(15):
        person(f"Budiman Putra {index}")
        person(f"Budi Santoso {index}")
        person(f"Budiarti Sari {index}")
    typing = ["bud", "budi", "budim", "budima", "budiman", "budiman p", "budiman put", "budiman putra"]
    assert_typing_more_keeps_what_still_fits(
        typing, lambda connection, typed: fits_name(connection.customer.name, typed)
    )


def test_typing_more_of_an_account_number_never_loses_a_number_that_still_fits():
    for index in range(60):
        ServiceConnectionFactory(account_number=f"10010{index % 3}{index:04d}", customer__phone="")
    typing = ["100", "1001", "10010", "100102", "1001020", "10010200", "100102005"]
    assert_typing_more_keeps_what_still_fits(
        typing, lambda connection, typed: connection.account_number.startswith(typed)
    )


def test_typing_more_of_a_phone_never_loses_a_number_that_still_fits():
    for index in range(40):
        ServiceConnectionFactory(customer=CustomerFactory(phone=f"+628127{index % 2}{index:06d}"))
    typing = ["081270", "0812700", "08127000", "081270000", "0812700002"]
    assert_typing_more_keeps_what_still_fits(
        typing, lambda connection, typed: ("62" + typed[1:]) in connection.customer.phone
    )
