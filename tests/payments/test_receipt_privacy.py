"""What a receipt shows to someone we do not know: the QR code's public PDF, and a guest's e-mail address that
is not on record, get the holder's data masked like the verification page and the public lookup."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from billing.payments import services, tokens
from tests.factories.accounts import ServiceConnectionFactory, UserFactory
from tests.factories.payments import open_bills_of, pending_payment

pytestmark = pytest.mark.django_db

NAME = "Siti Rahmawati"
ADDRESS = "Jl. Melati No. 17, RT 03/RW 05"


def pdf_words(content: bytes) -> str:
    """The PDF's text without whitespace: pypdf splits kerned pairs ("T alia"), so words are compared joined."""
    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def words(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def connection():
    connection = ServiceConnectionFactory(
        account_number="1001000077", customer__name=NAME, customer__email="siti@example.test", address=ADDRESS
    )
    open_bills_of(connection, 50000)
    return connection


@pytest.fixture
def cash_receipt(connection, counter_user):
    bills = list(connection.bills.all())
    payment = services.take_cash(
        connection, cashier=counter_user, bill_ids=[b.pk for b in bills], expected_total=50000, tendered=50000
    )
    return payment.receipt


def guest_payment(connection, email, django_capture_on_commit_callbacks):
    payment = pending_payment(list(connection.bills.all()), payer_email=email)
    with django_capture_on_commit_callbacks(execute=True):
        services.settle(payment.pk, payment_type="qris")
    return payment


def test_the_public_receipt_pdf_masks_name_house_number_cashier_and_usage(client, cash_receipt, counter_user):
    response = client.get(reverse("payments:verify-pdf", args=[tokens.receipt_token(cash_receipt)]))
    text = pdf_words(response.content)
    assert cash_receipt.number.replace("/", "") in text.replace("/", "")
    assert words("SIT* RAH******") in text
    assert words(NAME) not in text
    assert words("Jl. Melati") in text
    assert words("No. 17") not in text
    assert words("RT 03") not in text
    assert words(counter_user.full_name) not in text
    assert "m³" not in text


def test_the_holders_own_receipt_pdf_stays_complete(client, cash_receipt, counter_user):
    client.force_login(counter_user)
    response = client.get(reverse("payments:receipt-pdf", args=[cash_receipt.pk]))
    text = pdf_words(response.content)
    assert words(NAME) in text
    assert words("No. 17") in text
    assert words(counter_user.full_name) in text


def test_a_guest_address_not_on_record_gets_a_masked_receipt(connection, django_capture_on_commit_callbacks):
    guest_payment(connection, "someone@else.test", django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == ["SIT* RAH****** <someone@else.test>"]
    assert NAME not in message.body
    text = pdf_words(message.attachments[0][1])
    assert words(NAME) not in text
    assert words("No. 17") not in text
    assert words("SIT* RAH******") in text


def test_the_customers_own_address_gets_the_complete_receipt(connection, django_capture_on_commit_callbacks):
    guest_payment(connection, "SITI@example.test", django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert NAME in message.to[0]
    assert words(NAME) in pdf_words(message.attachments[0][1])


def test_a_portal_user_holding_the_connection_gets_the_complete_receipt(connection, django_capture_on_commit_callbacks):
    holder = UserFactory(email="holder@example.test")
    connection.links.create(user=holder)
    guest_payment(connection, "holder@example.test", django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert words(NAME) in pdf_words(message.attachments[0][1])


def test_a_guests_status_page_receipt_is_masked(client, connection, django_capture_on_commit_callbacks):
    payment = guest_payment(connection, "", django_capture_on_commit_callbacks)
    response = client.get(reverse("payments:status-receipt-pdf", args=[tokens.status_token(payment)]))
    text = pdf_words(response.content)
    assert words("SIT* RAH******") in text
    assert words(NAME) not in text
