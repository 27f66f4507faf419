"""The staff home: the search box for those who may search, today's figures, links by role."""

import datetime

import pytest
from django.urls import reverse

from billing.models import Bill
from tests.factories.billing import BillFactory

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
