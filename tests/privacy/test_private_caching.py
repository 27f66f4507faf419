"""Signed-in pages and personal documents are never kept by a shared cache or the browser's disk cache."""

import pytest
from django.urls import reverse

from billing.payments import services, tokens
from tests.factories.billing import BillFactory
from tests.factories.payments import open_bills_of, pending_payment

pytestmark = pytest.mark.django_db


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def paid(customer_connection, customer):
    payment = pending_payment(open_bills_of(customer_connection, 50000), payer=customer)
    return services.settle(payment.pk, payment_type="qris").payment


@pytest.mark.parametrize("name", ["portal:dashboard", "accounts:profile", "portal:notifications", "payments:receipts"])
def test_a_signed_in_customers_page_is_private_and_not_stored(customer_client, name):
    response = customer_client.get(reverse(name))

    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response)


def test_the_bill_pdf_is_private_and_not_stored(customer_client, customer_connection):
    bill = BillFactory(connection=customer_connection)

    response = customer_client.get(reverse("billing:bill-pdf", args=[bill.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert {"private", "no-store"} <= cache_directives(response)


def test_the_receipt_pdf_is_private_and_not_stored(customer_client, paid):
    response = customer_client.get(reverse("payments:receipt-pdf", args=[paid.receipt.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert {"private", "no-store"} <= cache_directives(response)


def test_a_guests_receipt_pdf_is_private_and_not_stored_although_nobody_is_signed_in(client, paid):
    response = client.get(reverse("payments:status-receipt-pdf", args=[tokens.status_token(paid)]))

    assert response["Content-Type"] == "application/pdf"
    assert {"private", "no-store"} <= cache_directives(response)


def test_a_staff_page_is_private_and_not_stored(client, counter_user, customer_connection):
    client.force_login(counter_user)

    response = client.get(reverse("portal:staff-account", args=[customer_connection.account_number]))

    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response)


def test_the_public_home_page_may_still_be_cached(client):
    response = client.get(reverse("portal:home"))

    assert "no-store" not in cache_directives(response)
