"""A customer closes their portal account: the login and preferences go, the utility's records stay unlinked."""

import pytest
from axes.models import AccessLog
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts import outbox
from accounts.models import AuditEntry, LinkAttempt, Notification
from billing.models import Bill
from billing.payments import services
from billing.payments.models import Payment, Receipt
from complaints.models import Complaint
from tests.factories.accounts import DEFAULT_PASSWORD
from tests.factories.complaints import ComplaintFactory
from tests.factories.payments import open_bills_of, pending_payment

pytestmark = pytest.mark.django_db
User = get_user_model()


def close(client, password: str = DEFAULT_PASSWORD):
    return client.post(reverse("portal:my-data-close"), {"password": password}, follow=True)


@pytest.fixture
def paid(customer, customer_connection):
    payment = pending_payment(open_bills_of(customer_connection, 50000), payer=customer, payer_email="b@example.test")
    return services.settle(payment.pk, payment_type="qris").payment


def test_closing_deletes_the_login_and_signs_the_person_out(customer_client, customer):
    response = close(customer_client)

    assert not User.objects.filter(pk=customer.pk).exists()
    assert not response.context["user"].is_authenticated
    assert "akun portal Anda sudah ditutup" in response.content.decode()


def test_the_closed_login_no_longer_signs_in(client, customer):
    client.force_login(customer)
    close(client)

    client.post(reverse("accounts:login"), {"username": "customer@example.test", "password": DEFAULT_PASSWORD})

    assert client.get(reverse("portal:dashboard"))["Location"].startswith(reverse("accounts:login"))


def test_bills_payments_and_receipts_stay_unlinked_from_the_person(customer_client, customer_connection, paid):
    close(customer_client)

    payment = Payment.objects.get(pk=paid.pk)
    assert (payment.payer_id, payment.payer_email) == (None, "")
    assert payment.status == Payment.Status.PAID
    assert Receipt.objects.filter(payment=payment).exists()
    assert Bill.objects.filter(connection=customer_connection).count() == 1
    assert customer_connection.links.count() == 0


def test_preferences_messages_and_linking_history_go(customer_client, customer):
    outbox.notify(customer, "accounts/password_reset", {"reset_url": "x"}, dedupe_key="mine")
    LinkAttempt.objects.create(account_number="1009999999", user=customer, succeeded=False)
    AccessLog.objects.create(username="customer@example.test", ip_address="10.0.0.1", user_agent="x")

    close(customer_client)

    left = Notification.objects.filter(to_address="customer@example.test").values_list("template", flat=True)
    assert list(left) == ["accounts/account_closed"]  # only the notice that the account was closed
    assert not LinkAttempt.objects.filter(account_number="1009999999").exists()
    assert not AccessLog.objects.filter(username="customer@example.test").exists()


def test_the_person_is_told_by_email_that_their_account_was_closed(
    customer_client, customer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        close(customer_client)

    [message] = mailoutbox
    assert message.to == ["Budi Santoso <customer@example.test>"]
    assert message.subject == "Akun Tirta Anda sudah ditutup"
    assert "segera hubungi kantor kami" in message.body


def test_the_persons_tickets_stay_as_records_of_the_fault(customer_client, customer):
    ticket = ComplaintFactory(reporter=customer)

    close(customer_client)

    ticket = Complaint.objects.get(pk=ticket.pk)
    assert ticket.reporter_id is None
    assert ticket.description


def test_closing_is_audited_without_the_persons_name_or_address(customer_client, customer):
    close(customer_client)

    entry = AuditEntry.objects.get(action="account.close")
    assert entry.object_id == str(customer.pk)
    assert "customer@example.test" not in entry.summary
    assert "Budi" not in entry.summary


def test_a_wrong_password_closes_nothing_and_says_so(customer_client, customer):
    response = close(customer_client, password="bukan-sandinya")

    assert User.objects.filter(pk=customer.pk).exists()
    assert "Itu bukan kata sandi Anda" in response.content.decode()
    assert response.context["user"].is_authenticated
    assert not AuditEntry.objects.filter(action="account.close").exists()


def test_password_guesses_on_the_closing_form_are_limited(customer_client, customer):
    for _ in range(5):
        close(customer_client, password="bukan-sandinya")

    response = close(customer_client)

    assert User.objects.filter(pk=customer.pk).exists()
    assert "Terlalu banyak percobaan" in response.content.decode()


def test_closing_needs_a_post(customer_client, customer):
    customer_client.get(reverse("portal:my-data-close"))

    assert User.objects.filter(pk=customer.pk).exists()


def test_staff_cannot_close_their_account_from_the_portal(client, counter_user):
    client.force_login(counter_user)

    response = client.post(reverse("portal:my-data-close"), {"password": DEFAULT_PASSWORD})

    assert response.status_code == 404
    assert User.objects.filter(pk=counter_user.pk).exists()


def test_the_my_data_page_offers_the_download_and_the_closing(customer_client):
    body = customer_client.get(reverse("portal:my-data")).content.decode()

    assert reverse("portal:my-data-download") in body
    assert reverse("portal:my-data-close") in body


def test_the_profile_links_to_the_my_data_page(customer_client):
    assert reverse("portal:my-data") in customer_client.get(reverse("accounts:profile")).content.decode()
