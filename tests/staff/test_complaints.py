"""Complaints from the counter: filed on the customer's behalf, tied to the connection, listed on its page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from complaints.models import Complaint
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.complaints import ComplaintFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def connection(db):
    return ServiceConnectionFactory(
        account_number="1001000042", customer__name="Siti Aminah", customer__phone="+6281234567890"
    )


def file_url(connection) -> str:
    return reverse("complaints_staff:file-for-customer", args=[connection.account_number])


def test_the_filing_form_starts_from_the_holders_details(client, counter_user, connection):
    client.force_login(counter_user)
    body = client.get(file_url(connection)).content.decode()
    assert 'value="Siti Aminah"' in body
    assert "0812-3456-7890" in body


def test_counter_staff_file_a_complaint_for_the_connection_and_it_is_audited(client, counter_user, connection):
    client.force_login(counter_user)
    response = client.post(
        file_url(connection),
        {
            "category": category("no_water").pk,
            "description": "Air tidak mengalir sejak pagi.",
            "reporter_name": "Siti Aminah",
            "reporter_phone": "0812 3456 7890",
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.connection, complaint.filed_by, complaint.address) == (
        connection,
        counter_user,
        connection.address,
    )
    assert complaint.reporter_phone == "+6281234567890"
    assert AuditEntry.objects.filter(action="complaint.file", actor=counter_user, connection=connection).exists()


def test_a_complaint_without_a_problem_is_explained_and_files_nothing(client, counter_user, connection):
    client.force_login(counter_user)
    response = client.post(file_url(connection), {"description": "", "reporter_name": "Siti"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Complaint.objects.exists()


def test_field_staff_may_not_file_complaints_from_the_counter(client, field_user, connection):
    client.force_login(field_user)
    assert client.get(file_url(connection)).status_code == 403


def test_customers_get_a_404(customer_client, connection):
    assert customer_client.get(file_url(connection)).status_code == 404


def test_the_account_page_lists_the_connections_complaints_and_their_states(client, counter_user, connection):
    ComplaintFactory(connection=connection, ticket="ADU-2026-000123")
    late = ComplaintFactory(
        connection=connection,
        ticket="ADU-2026-000124",
        created_at=timezone.now() - datetime.timedelta(days=5),
    )
    ComplaintFactory(ticket="ADU-2026-000999")
    client.force_login(counter_user)
    body = client.get(reverse("portal:staff-account", args=[connection.account_number])).content.decode()
    assert "ADU-2026-000123" in body
    assert reverse("complaints_staff:ticket", args=[late.ticket]) in body
    assert "ADU-2026-000999" not in body
    assert "lewat batas waktu" in body
