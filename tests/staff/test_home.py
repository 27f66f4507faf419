"""The staff home: the search box for those who may search, today's figures, links by role."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing.models import Bill
from complaints.models import Complaint, Outage
from tests.factories.billing import BillFactory
from tests.factories.complaints import ComplaintFactory, OutageFactory

pytestmark = pytest.mark.django_db

HOME = reverse("portal:staff-home")


def test_counter_staff_get_the_search_box_on_their_home(client, counter_user):
    client.force_login(counter_user)
    body = client.get(HOME).content.decode()
    assert 'name="q"' in body
    assert reverse("portal:staff-audit") not in body


def test_field_staff_get_a_home_without_the_search_box(client, field_user):
    client.force_login(field_user)
    response = client.get(HOME)
    assert response.status_code == 200
    assert 'name="q"' not in response.content.decode()


def test_the_arrears_total_counts_overdue_unpaid_bills_only(client, counter_user):
    BillFactory(period=datetime.date(2025, 1, 1), total=100_000)
    BillFactory(period=datetime.date(2025, 1, 1), total=25_000)
    BillFactory(period=datetime.date(2025, 1, 1), total=999_000, status=Bill.Status.PAID)
    BillFactory(period=datetime.date(2099, 1, 1), total=888_000)
    client.force_login(counter_user)
    body = client.get(HOME).content.decode()
    assert "Rp 125.000" in body


def test_supervisors_get_the_audit_log_and_the_report_csv(client, supervisor):
    BillFactory(period=datetime.date(2025, 1, 1), total=100_000)
    client.force_login(supervisor)
    body = client.get(HOME).content.decode()
    assert reverse("portal:staff-audit") in body
    response = client.get(reverse("portal:staff-report-csv"))
    assert response.status_code == 200
    assert "Rp 100.000" in response.content.decode("utf-8-sig")


def test_the_report_csv_is_for_supervisors_only(client, counter_user):
    client.force_login(counter_user)
    assert client.get(reverse("portal:staff-report-csv")).status_code == 403


def test_open_complaints_are_counted_by_deadline_and_link_to_the_queue(client, complaints_user):
    ComplaintFactory()
    ComplaintFactory(created_at=timezone.now() - datetime.timedelta(days=5))
    ComplaintFactory(status=Complaint.Status.CLOSED, created_at=timezone.now() - datetime.timedelta(days=5))
    client.force_login(complaints_user)
    response = client.get(HOME)
    figures = {figure.label: figure for figure in response.context["figures"]}
    assert figures["Pengaduan terbuka"].value == "2"
    assert figures["Pengaduan lewat batas waktu"].value == "1"
    queue = reverse("complaints_staff:queue")
    assert figures["Pengaduan lewat batas waktu"].url == f"{queue}?sla=breached"
    assert f'href="{queue}?sla=breached"' in response.content.decode()


def test_ongoing_outages_are_counted_but_not_planned_or_closed_ones(client, complaints_user):
    OutageFactory()
    OutageFactory(starts_at=timezone.now() + datetime.timedelta(days=1))
    OutageFactory(status=Outage.Status.CLOSED)
    client.force_login(complaints_user)
    figures = {figure.label: figure for figure in client.get(HOME).context["figures"]}
    assert figures["Gangguan saat ini"].value == "1"
    assert figures["Gangguan saat ini"].url == reverse("complaints_staff:outages")


def test_figures_link_only_to_lists_the_person_may_open(client, billing_user):
    client.force_login(billing_user)
    figures = client.get(HOME).context["figures"]
    assert all(not figure.url for figure in figures)


def test_the_city_wide_arrears_are_read_once_a_minute_for_all_staff(client, counter_user, supervisor):
    BillFactory(period=datetime.date(2025, 1, 1), total=100_000)
    client.force_login(counter_user)
    with CaptureQueriesContext(connection) as first:
        client.get(HOME)
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as second:
        body = client.get(HOME).content.decode()
    assert any("SUM(" in q["sql"] and "billing_bill" in q["sql"] for q in first.captured_queries)
    assert not any("SUM(" in q["sql"] and "billing_bill" in q["sql"] for q in second.captured_queries)
    assert "Rp 100.000" in body
