"""Supervisors search the audit log: by staff member, action, account and dates; CSV for supervisors only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.staff import AuditEntryFactory

pytestmark = pytest.mark.django_db

AUDIT = reverse("portal:staff-audit")
CSV = reverse("portal:staff-audit-csv")


@pytest.fixture
def entries(counter_user, complaints_user):
    connection = ServiceConnectionFactory(account_number="1001000042")
    AuditEntryFactory(actor=counter_user, action="customer.update_contact", connection=connection, summary="HP diganti")
    AuditEntryFactory(actor=complaints_user, action="staffnote.add", summary="Catatan pengaduan")
    AuditEntryFactory(
        actor=counter_user,
        action="connection.view",
        summary="Dilihat kemarin",
        created_at=timezone.now() - datetime.timedelta(days=3),
    )


def test_counter_staff_may_not_search_the_audit_log(client, counter_user):
    client.force_login(counter_user)
    assert client.get(AUDIT).status_code == 403


def test_customers_get_a_404(customer_client):
    assert customer_client.get(AUDIT).status_code == 404


def test_supervisors_see_the_latest_entries_first(client, supervisor, entries):
    client.force_login(supervisor)
    body = client.get(AUDIT).content.decode()
    assert body.index("Catatan pengaduan") < body.index("Dilihat kemarin")


@pytest.mark.parametrize(
    ("filters", "found", "not_found"),
    [
        ({"actor": "Kasir"}, "HP diganti", "Catatan pengaduan"),
        ({"actor": "complaints@example.test"}, "Catatan pengaduan", "HP diganti"),
        ({"action": "staffnote"}, "Catatan pengaduan", "HP diganti"),
        ({"account": "1001000042"}, "HP diganti", "Catatan pengaduan"),
    ],
)
def test_supervisors_filter_the_audit_log(client, supervisor, entries, filters, found, not_found):
    client.force_login(supervisor)
    body = client.get(AUDIT, filters).content.decode()
    assert found in body
    assert not_found not in body


def test_a_date_range_limits_the_entries(client, supervisor, entries):
    client.force_login(supervisor)
    today = timezone.localdate().isoformat()
    body = client.get(AUDIT, {"date_from": today, "date_to": today}).content.decode()
    assert "HP diganti" in body
    assert "Dilihat kemarin" not in body


@pytest.mark.parametrize("filters", [{"date_from": "kemarin"}, {"date_from": "2026-02-10", "date_to": "2026-02-01"}])
def test_bad_filters_are_explained_not_a_500(client, supervisor, entries, filters):
    client.force_login(supervisor)
    response = client.get(AUDIT, filters)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_the_audit_page_runs_in_a_fixed_number_of_queries(
    client, supervisor, counter_user, django_assert_max_num_queries
):
    for _ in range(60):
        AuditEntryFactory(actor=counter_user, connection=ServiceConnectionFactory())
    client.force_login(supervisor)
    with django_assert_max_num_queries(8):
        assert client.get(AUDIT).status_code == 200


def test_supervisors_download_the_filtered_log_as_csv(client, supervisor, entries):
    client.force_login(supervisor)
    response = client.get(CSV, {"action": "customer"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    assert "counter@example.test,customer.update_contact,1001000042,HP diganti" in lines[1]
