"""Digits from other scripts and compatibility forms (superscripts, full width) never reach `int()` raw."""

import pytest
from django.urls import reverse

from accounts.models import LinkAttempt
from accounts.phones import normalise_phone
from accounts.text import ascii_digits
from billing.readings import parse_csv
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.billing import BillFactory
from tests.factories.complaints import ComplaintFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "digits"),
    [("Rp 125.500", "125500"), ("²⁰²⁶", "2026"), ("２０２６", "2026"), ("١٢٣", "123"), ("x²", "2"), ("", "")],
)
def test_digits_are_read_in_any_script_as_ascii(typed, digits):
    assert ascii_digits(typed) == digits


def test_a_ticket_number_typed_with_superscript_digits_is_found(client):
    complaint = ComplaintFactory(ticket="ADU-2026-000001", reporter_phone="+6281234567890")
    response = client.post(reverse("complaints:track"), {"ticket": "ADU-²⁰²⁶-000001", "phone_last4": "7890"})
    assert response["Location"] == reverse("complaints:ticket", args=[complaint.ticket])


def test_a_superscript_answer_on_the_linking_page_is_refused_and_counted(customer_client):
    connection = ServiceConnectionFactory(account_number="1001000042")
    BillFactory(connection=connection)
    response = customer_client.post(reverse("accounts:link"), {"account_number": "1001000042", "answer": "²"})
    assert "Nomor pelanggan dan jawaban itu tidak cocok" in response.content.decode()
    assert LinkAttempt.objects.filter(account_number="1001000042", succeeded=False).count() == 1


def test_a_superscript_account_number_is_read_as_its_digits(customer_client):
    customer_client.post(reverse("accounts:link"), {"account_number": "¹⁰⁰¹⁰⁰⁰⁰⁴²", "answer": "x"})
    assert LinkAttempt.objects.get().account_number == "1001000042"


def test_a_full_width_mobile_number_is_understood():
    assert normalise_phone("０８１２ ３４５６ ７８９０") == "+6281234567890"


def test_a_readings_file_with_full_width_and_superscript_digits_is_read_as_digits():
    ServiceConnectionFactory(account_number="1000000001")
    row = "１０００００００01,2026-02,¹¹⁸,2026-02-03"
    inputs, errors = parse_csv(f"account_number,period,reading,read_on\n{row}\n".encode())
    assert (errors, [(row.account_number, row.reading) for row in inputs]) == ([], [("1000000001", 118)])
