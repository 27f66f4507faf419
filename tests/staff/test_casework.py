"""Updating contact details and adding notes from the account page: by role, audited, bad input changes nothing."""

import pytest
from django.urls import reverse

from accounts.models import AuditEntry, Customer, StaffNote
from tests.factories.accounts import ServiceConnectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection(db):
    return ServiceConnectionFactory(
        account_number="1001000042",
        customer__phone="+6281234567890",
        customer__email="lama@example.test",
        customer__address="Jl. Lama No. 1",
    )


def contact_url(connection) -> str:
    return reverse("portal:staff-contact", args=[connection.account_number])


def note_url(connection) -> str:
    return reverse("portal:staff-add-note", args=[connection.account_number])


def test_counter_staff_update_contact_details_and_the_change_is_audited_before_and_after(
    client, counter_user, connection
):
    client.force_login(counter_user)
    response = client.post(
        contact_url(connection), {"phone": "0813 1111 2222", "email": "Baru@Example.test", "address": "Jl. Lama No. 1"}
    )
    assert response.status_code == 302
    customer = Customer.objects.get(pk=connection.customer_id)
    assert (customer.phone, customer.email) == ("+6281311112222", "baru@example.test")
    entry = AuditEntry.objects.get(action="customer.update_contact")
    assert entry.actor == counter_user
    assert entry.connection == connection
    assert entry.changes == {
        "phone": ["+6281234567890", "+6281311112222"],
        "email": ["lama@example.test", "baru@example.test"],
    }


def test_saving_unchanged_details_records_nothing(client, counter_user, connection):
    client.force_login(counter_user)
    client.post(
        contact_url(connection), {"phone": "0812-3456-7890", "email": "lama@example.test", "address": "Jl. Lama No. 1"}
    )
    assert not AuditEntry.objects.filter(action="customer.update_contact").exists()


@pytest.mark.parametrize(
    "data", [{"phone": "12345", "email": "", "address": ""}, {"phone": "", "email": "bukan-email", "address": ""}]
)
def test_bad_contact_details_are_explained_and_change_nothing(client, counter_user, connection, data):
    client.force_login(counter_user)
    response = client.post(contact_url(connection), data)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert Customer.objects.get(pk=connection.customer_id).phone == "+6281234567890"
    assert not AuditEntry.objects.filter(action="customer.update_contact").exists()


def test_the_contact_form_shows_the_current_details(client, counter_user, connection):
    client.force_login(counter_user)
    body = client.get(contact_url(connection)).content.decode()
    assert "0812-3456-7890" in body
    assert "lama@example.test" in body


def test_billing_staff_may_not_change_contact_details(client, billing_user, connection):
    client.force_login(billing_user)
    assert client.post(contact_url(connection), {"phone": "", "email": "", "address": ""}).status_code == 403
    assert Customer.objects.get(pk=connection.customer_id).phone == "+6281234567890"


def test_customers_get_a_404_for_the_contact_form(customer_client, connection):
    assert customer_client.get(contact_url(connection)).status_code == 404


def test_a_note_is_added_with_its_author_and_audited(client, counter_user, connection):
    client.force_login(counter_user)
    response = client.post(note_url(connection), {"text": "  Janji bayar tanggal 25  "})
    assert response.status_code == 302
    note = StaffNote.objects.get()
    assert (note.text, note.author, note.connection) == ("Janji bayar tanggal 25", counter_user, connection)
    assert AuditEntry.objects.filter(action="staffnote.add", connection=connection, actor=counter_user).exists()


def test_an_empty_note_is_refused_and_saves_nothing(client, counter_user, connection):
    client.force_login(counter_user)
    response = client.post(note_url(connection), {"text": "   "})
    assert response.status_code == 400
    assert "Mohon isi catatannya." in response.content.decode()
    assert not StaffNote.objects.exists()


def test_notes_are_posted_not_fetched(client, counter_user, connection):
    client.force_login(counter_user)
    assert client.get(note_url(connection)).status_code == 405


def test_field_staff_may_not_add_notes(client, field_user, connection):
    client.force_login(field_user)
    assert client.post(note_url(connection), {"text": "x"}).status_code == 403
    assert not StaffNote.objects.exists()
