"""Payment methods read as words wherever people see them, whatever code the gateway reported."""

import pytest
from django.urls import reverse

from accounts import outbox
from accounts.models import Notification
from billing.payments import services
from billing.payments.methods import method_label
from tests.factories.payments import open_bills_of, pending_payment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("bank_transfer", "Virtual account bank"),
        ("qris", "QRIS"),
        ("gopay", "GoPay / dompet digital"),
        ("cash", "Tunai"),
        ("credit_card", "Kartu kredit atau debit"),
    ],
)
def test_gateway_codes_read_as_words_in_indonesian(code, label):
    assert method_label(code) == label


def test_an_unknown_gateway_code_still_shows_as_it_came():
    assert method_label("new_wallet") == "new_wallet"
    assert method_label("") == ""


@pytest.fixture
def paid_by_gopay(customer_connection, customer):
    payment = pending_payment(open_bills_of(customer_connection, 50000), payer=customer)
    return services.settle(payment.pk, payment_type="gopay").payment


def test_the_receipt_page_names_the_method(client, counter_user, paid_by_gopay):
    client.force_login(counter_user)
    body = client.get(reverse("payments:receipt-print", args=[paid_by_gopay.receipt.pk])).content.decode()
    assert "GoPay / dompet digital" in body
    assert "gopay" not in body


def test_the_receipt_email_names_the_method_in_the_recipients_language(paid_by_gopay):
    email = Notification.objects.get(template="billing/receipt", channel=Notification.Channel.EMAIL)
    assert "Cara pembayaran: GoPay / dompet digital" in outbox.render(email).text
    email.language = "en"
    assert "Paid by: GoPay / e-wallet" in outbox.render(email).text


def test_the_staff_account_page_names_the_method(client, counter_user, paid_by_gopay):
    client.force_login(counter_user)
    url = reverse("portal:staff-account", args=[paid_by_gopay.connection.account_number])
    body = client.get(url).content.decode()
    assert "GoPay / dompet digital" in body
