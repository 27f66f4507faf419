import pytest

from accounts.phones import InvalidPhoneNumber, display_phone, normalise_phone


@pytest.mark.parametrize(
    "typed",
    ["081234567890", "0812-3456-7890", "0812 3456 7890", "+62 812 3456 7890", "6281234567890", "+6281234567890"],
)
def test_every_common_way_of_typing_a_mobile_number_gives_the_same_e164(typed):
    assert normalise_phone(typed) == "+6281234567890"


@pytest.mark.parametrize("typed", ["", "abc", "0812", "12345", "0812345678901234"])
def test_garbage_is_not_a_phone_number(typed):
    with pytest.raises(InvalidPhoneNumber):
        normalise_phone(typed)


def test_a_foreign_number_is_refused():
    with pytest.raises(InvalidPhoneNumber):
        normalise_phone("+1 202 555 0143")


def test_a_landline_is_refused_where_a_mobile_is_needed():
    with pytest.raises(InvalidPhoneNumber):
        normalise_phone("021 5550 1234")


def test_a_landline_is_accepted_when_any_number_will_do():
    assert normalise_phone("(021) 5550-1234", mobile_only=False) == "+622155501234"


def test_numbers_are_shown_in_the_national_format():
    assert display_phone("+6281234567890") == "0812-3456-7890"
