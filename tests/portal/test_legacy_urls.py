"""One URL scheme: the paths used before it still work. Old addresses are written out here on purpose: they are
what old e-mails, SMS and bookmarks hold."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.billing import BillFactory
from tests.factories.complaints import ComplaintFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def test_an_old_public_address_answers_a_permanent_redirect_to_the_new_one_keeping_the_query(client):
    response = client.get("/billing/cek/?account_number=1000000042")
    assert response.status_code == 301
    assert response["Location"] == reverse("billing:lookup") + "?account_number=1000000042"


def test_a_lookup_posted_to_the_old_address_is_still_answered(client):
    connection = ServiceConnectionFactory(account_number="1000000042")
    BillFactory(connection=connection, total=50000)
    body = client.post("/billing/cek/", {"account_number": "1000000042"}).content.decode()
    assert "Rp 50.000" in body


def test_an_old_ticket_link_from_a_message_leads_to_the_ticket_page(client):
    response = client.get("/complaints/t/ADU-2026-000123/")
    assert response.status_code == 301
    assert response["Location"] == reverse("complaints:ticket", args=["ADU-2026-000123"])


def test_a_rating_posted_to_the_old_ticket_address_is_still_recorded(customer_client, customer):
    complaint = ComplaintFactory(reporter=customer, status=Complaint.Status.RESOLVED)
    customer_client.post(f"/complaints/t/{complaint.ticket}/rate/", {"rating": "5"})
    complaint.refresh_from_db()
    assert (complaint.status, complaint.rating) == (Complaint.Status.CLOSED, 5)


def test_a_post_to_an_old_address_still_needs_the_csrf_token(customer):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(customer)
    complaint = ComplaintFactory(reporter=customer, status=Complaint.Status.RESOLVED)
    assert strict.post(f"/complaints/t/{complaint.ticket}/rate/", {"rating": "5"}).status_code == 403
    complaint.refresh_from_db()
    assert complaint.rating is None


def test_the_readings_upload_moved_under_staff_and_its_old_address_redirects(client):
    assert reverse("billing:import-readings").startswith("/staff/")
    response = client.get("/billing/staff/readings/import/")
    assert (response.status_code, response["Location"]) == (301, reverse("billing:import-readings"))


def test_the_gateway_notification_and_printed_receipt_addresses_do_not_change():
    assert reverse("payments:notify") == "/payments/notify/"
    assert reverse("payments:verify", args=["t0ken"]) == "/payments/verify/t0ken/"


def test_every_staff_page_lives_under_staff():
    staff_pages = [
        reverse("complaints_staff:file-for-customer", args=["1000000042"]),
        reverse("payments:resend-receipt", args=["1000000042", 1]),
        reverse("billing:import-readings"),
        reverse("complaints_staff:queue"),
        reverse("payments:counter-cash", args=[1]),
    ]
    assert all(url.startswith("/staff/") for url in staff_pages)
