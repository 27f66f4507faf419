"""Payments on the account page: cash by role, receipts to print, and a receipt sent again on request."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEntry, Notification
from billing.payments import services
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import open_bills_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection(db):
    return ServiceConnectionFactory(
        account_number="1001000042", customer__email="siti@example.test", customer__phone="+6281234567890"
    )


@pytest.fixture
def paid(connection, counter_user):
    bills = open_bills_of(connection, 50_000)
    return services.take_cash(
        connection, cashier=counter_user, bill_ids=[bills[0].pk], expected_total=50_000, tendered=50_000
    )


def account_url(connection) -> str:
    return reverse("portal:staff-account", args=[connection.account_number])


def resend_url(connection, receipt) -> str:
    return reverse("payments:resend-receipt", args=[connection.account_number, receipt.pk])


def test_counter_staff_see_the_cash_action_when_something_is_due(client, counter_user, connection):
    open_bills_of(connection, 50_000)
    client.force_login(counter_user)
    body = client.get(account_url(connection)).content.decode()
    assert reverse("payments:counter-cash", args=[connection.pk]) in body


def test_billing_staff_see_the_account_but_no_cash_action(client, billing_user, connection):
    open_bills_of(connection, 50_000)
    client.force_login(billing_user)
    body = client.get(account_url(connection)).content.decode()
    assert reverse("payments:counter-cash", args=[connection.pk]) not in body


def test_a_field_user_cannot_take_cash(client, field_user, connection):
    open_bills_of(connection, 50_000)
    client.force_login(field_user)
    assert client.get(reverse("payments:counter-cash", args=[connection.pk])).status_code == 403


def test_payments_are_listed_with_their_receipt_to_print(client, counter_user, connection, paid):
    client.force_login(counter_user)
    body = client.get(account_url(connection)).content.decode()
    assert paid.receipt.number in body
    assert reverse("payments:receipt-print", args=[paid.receipt.pk]) in body
    assert resend_url(connection, paid.receipt) in body


def test_a_receipt_is_sent_again_to_the_current_contact_details_and_audited(
    client, counter_user, connection, paid, django_capture_on_commit_callbacks
):
    connection.customer.email = "baru@example.test"
    connection.customer.save()
    client.force_login(counter_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url(connection, paid.receipt))
    assert response.status_code == 302
    resent = Notification.objects.filter(dedupe_key__startswith=f"billing:receipt:{paid.receipt.pk}:resend:1:")
    assert {row.to_address for row in resent} == {"baru@example.test", "+6281234567890"}
    assert any(message.to[0].endswith("<baru@example.test>") for message in mail.outbox)
    entry = AuditEntry.objects.get(action="receipt.resend")
    assert (entry.actor, entry.connection) == (counter_user, connection)


def test_each_resend_is_a_new_message(client, counter_user, connection, paid):
    client.force_login(counter_user)
    client.post(resend_url(connection, paid.receipt))
    client.post(resend_url(connection, paid.receipt))
    assert Notification.objects.filter(dedupe_key__startswith=f"billing:receipt:{paid.receipt.pk}:resend:").count() == 4


def test_a_void_receipt_is_not_sent_again(client, counter_user, supervisor, connection, paid):
    services.reverse(paid.pk, supervisor=supervisor, reason="Uang palsu")
    client.force_login(counter_user)
    response = client.post(resend_url(connection, paid.receipt), follow=True)
    assert "Kuitansi ini batal" in response.content.decode()
    assert not AuditEntry.objects.filter(action="receipt.resend").exists()


def test_without_contact_details_nothing_is_sent_and_staff_are_told(client, counter_user, connection, paid):
    connection.customer.email = connection.customer.phone = ""
    connection.customer.save()
    client.force_login(counter_user)
    response = client.post(resend_url(connection, paid.receipt), follow=True)
    assert "Tidak ada yang terkirim" in response.content.decode()
    assert not AuditEntry.objects.filter(action="receipt.resend").exists()


def test_a_receipt_of_another_connection_is_a_404(client, counter_user, paid):
    other = ServiceConnectionFactory()
    client.force_login(counter_user)
    assert client.post(resend_url(other, paid.receipt)).status_code == 404


def test_customers_get_a_404_when_resending(customer_client, connection, paid):
    assert customer_client.post(resend_url(connection, paid.receipt)).status_code == 404


def test_todays_collections_are_shown_by_channel_and_link_to_the_cash_report(client, counter_user, paid):
    client.force_login(counter_user)
    response = client.get(reverse("portal:staff-home"))
    figures = {figure.label: figure for figure in response.context["figures"]}
    cash = figures["Diterima hari ini: tunai di loket (1 pembayaran)"]
    assert cash.value == "Rp 50.000"
    assert cash.url == reverse("payments:cash-report")
