"""Search rules that hold on both databases: identifiers, phone formats, names in any word order, addresses."""

import pytest

from accounts.models import ServiceConnection
from accounts.search import Match, search_connections
from tests.factories.accounts import (
    AreaFactory,
    ConnectionLinkFactory,
    CustomerFactory,
    ServiceConnectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def numbers(hits) -> list[str]:
    return [hit.connection.account_number for hit in hits]


def test_an_exact_account_number_comes_first_and_alone_when_nothing_else_starts_with_it():
    wanted = ServiceConnectionFactory(account_number="1001000042")
    ServiceConnectionFactory(account_number="1001000043")
    hits = search_connections("1001000042")
    assert numbers(hits) == [wanted.account_number]
    assert hits[0].match == Match.ACCOUNT


def test_the_start_of_an_account_number_lists_every_number_with_that_prefix_in_order():
    for number in ("1001000450", "1001000451", "1001000459", "1001000460", "2001000451"):
        ServiceConnectionFactory(account_number=number)
    assert numbers(search_connections("100100045")) == ["1001000450", "1001000451", "1001000459"]


def test_an_account_prefix_ending_in_nine_still_finds_its_numbers():
    for number in ("1001999001", "1002000001"):
        ServiceConnectionFactory(account_number=number)
    assert numbers(search_connections("1001999")) == ["1001999001"]


def test_spaces_and_dashes_in_an_account_number_are_ignored():
    ServiceConnectionFactory(account_number="1001000042")
    assert numbers(search_connections("1001 000-042")) == ["1001000042"]


@pytest.mark.parametrize("typed", ["081234567890", "0812-3456-7890", "+62 812 3456 7890", "6281234567890"])
def test_a_phone_number_in_any_format_finds_the_holders_connections(typed):
    holder = CustomerFactory(phone="+6281234567890")
    first = ServiceConnectionFactory(customer=holder)
    second = ServiceConnectionFactory(customer=holder)
    ServiceConnectionFactory()
    hits = search_connections(typed)
    assert set(numbers(hits)) == {first.account_number, second.account_number}
    assert {hit.match for hit in hits} == {Match.PHONE}


def test_a_phone_number_also_finds_connections_its_portal_user_linked():
    link = ConnectionLinkFactory(user=UserFactory(phone="+6281399990000"), connection__customer__phone="")
    assert numbers(search_connections("0813 9999 0000")) == [link.connection.account_number]


def test_a_meter_number_is_found_whatever_the_case_and_separators():
    wanted = ServiceConnectionFactory(meter_number="M21-0500005")
    ServiceConnectionFactory(meter_number="M21-0600005")
    hits = search_connections("m21 0500005")
    assert numbers(hits) == [wanted.account_number]
    assert hits[0].match == Match.METER


def test_the_start_of_a_meter_number_lists_the_meters_starting_with_it():
    first = ServiceConnectionFactory(meter_number="M21-0500005")
    second = ServiceConnectionFactory(meter_number="M21-0500006")
    ServiceConnectionFactory(meter_number="M22-0500007")
    assert set(numbers(search_connections("M21-05"))) == {first.account_number, second.account_number}


@pytest.mark.parametrize("typed", ["siti aminah", "Aminah Siti", "  SITI   aminah "])
def test_a_name_is_found_in_any_word_order_and_case(typed):
    wanted = ServiceConnectionFactory(customer__name="Siti Aminah")
    ServiceConnectionFactory(customer__name="Budi Santoso")
    assert numbers(search_connections(typed)) == [wanted.account_number]


def test_part_of_a_name_as_it_is_being_typed_finds_it():
    wanted = ServiceConnectionFactory(customer__name="Dewi Lestari")
    assert wanted.account_number in numbers(search_connections("dewi les"))


def test_an_address_finds_the_connection_there():
    wanted = ServiceConnectionFactory(address="Jl. Cendrawasih No. 12, Mangasa", customer__name="Andi")
    ServiceConnectionFactory(address="Jl. Veteran No. 3, Mangasa", customer__name="Rudi")
    hits = search_connections("cendrawasih 12")
    assert numbers(hits)[0] == wanted.account_number
    assert hits[0].match == Match.ADDRESS


def test_an_area_name_narrows_an_address_search_to_that_area():
    mangasa, daya = AreaFactory(name="Mangasa"), AreaFactory(name="Daya")
    wanted = ServiceConnectionFactory(area=mangasa, address="Jl. Pelita No. 5, Mangasa")
    ServiceConnectionFactory(area=daya, address="Jl. Pelita No. 9, Daya")
    assert numbers(search_connections("pelita mangasa")) == [wanted.account_number]


def test_two_people_of_the_same_name_both_come_back_with_what_tells_them_apart():
    first = ServiceConnectionFactory(customer__name="Siti Aminah", address="Jl. Mawar No. 1")
    second = ServiceConnectionFactory(customer__name="Siti Aminah", address="Jl. Melati No. 2")
    hits = search_connections("siti aminah")
    assert {hit.connection.address for hit in hits} == {first.address, second.address}


def test_identifiers_outrank_names():
    by_number = ServiceConnectionFactory(account_number="1001000777", customer__name="Budi")
    ServiceConnectionFactory(customer__name="Budi 1001000777", account_number="1001000888")
    assert numbers(search_connections("1001000777"))[0] == by_number.account_number


@pytest.mark.parametrize("typed", ["", " ", "a", "%", "'; drop table x; --", "\x00", "_" * 500, "+62", "0"])
def test_odd_input_is_searched_safely(typed):
    ServiceConnectionFactory()
    assert all(isinstance(hit.connection, ServiceConnection) for hit in search_connections(typed))


def test_results_are_capped():
    for index in range(25):
        ServiceConnectionFactory(account_number=f"10010001{index:02d}")
    assert len(search_connections("1001000", limit=20)) == 20


def test_the_search_runs_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    for index in range(30):
        ServiceConnectionFactory(customer__name=f"Siti Aminah {index}")
    with django_assert_max_num_queries(12):
        assert len(search_connections("siti aminah")) == 20
