"""Filing over Open311: a partner key files a complaint exactly as the web form does; every refusal stores nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Notification
from accounts.partners import services as partners
from accounts.partners.models import Partner
from complaints.models import Complaint, ComplaintEvent
from complaints.open311.models import Open311Request
from tests.complaints.open311.client import GeoReportClient, filing, text
from tests.factories.complaints import OutageFactory

pytestmark = pytest.mark.django_db


# Filing


def test_a_request_with_a_key_becomes_a_complaint_like_a_web_report(geo, api_key, area):
    answer = geo.post_request(**filing(api_key, area))
    complaint = Complaint.objects.get()
    assert answer.status == 201
    assert answer.data[0]["service_request_id"] == complaint.ticket
    assert complaint.ticket.startswith("ADU-")
    assert complaint.reporter_name == "Ni Made Ayu"
    assert complaint.reporter_phone == "+6281234567890"
    assert complaint.area == area
    assert complaint.address.startswith("Jl. Selaparang")
    assert complaint.due_at == complaint.created_at + timedelta(hours=24)
    assert complaint.events.filter(kind=ComplaintEvent.Kind.FILED).exists()


def test_the_reporter_gets_the_ticket_message(geo, api_key, area):
    geo.post_request(**filing(api_key, area))
    complaint = Complaint.objects.get()
    sent = Notification.objects.filter(template="complaints/received")
    assert ("sms", "+6281234567890") in set(sent.values_list("channel", "to_address"))
    assert sent.first().context["ticket"] == complaint.ticket


def test_a_request_filed_over_open311_is_in_the_staff_queue(client, api_key, area, complaints_user):
    GeoReportClient(client, "json").post_request(**filing(api_key, area))
    ticket = Complaint.objects.get().ticket
    client.force_login(complaints_user)
    page = client.get(reverse("complaints_staff:queue")).content.decode()
    assert ticket in page


def test_a_no_water_request_in_an_outage_area_is_linked_to_the_outage(geo, api_key, area):
    outage = OutageFactory(areas=[area])
    geo.post_request(**filing(api_key, area, service_code="no_water"))
    assert Complaint.objects.get().outage == outage


def test_media_url_is_kept_as_a_link_for_staff(geo, api_key, area):
    geo.post_request(**filing(api_key, area, media_url="https://lapor.example.test/foto/123.jpg"))
    stored = Open311Request.objects.get()
    assert stored.media_url == "https://lapor.example.test/foto/123.jpg"
    assert stored.partner.name == "Lapor Mataram"
    note = stored.complaint.events.get(kind=ComplaintEvent.Kind.NOTE)
    assert not note.public
    assert "https://lapor.example.test/foto/123.jpg" in note.message
    assert not stored.complaint.photos.exists()


def test_the_token_gives_the_request_id(geo, api_key, area):
    filed = geo.post_request(**filing(api_key, area)).data[0]
    answer = geo.token(filed["token"])
    assert answer.data == [{"service_request_id": filed["service_request_id"], "token": filed["token"]}]


# Refusals when filing: nothing is stored


@pytest.mark.parametrize("key", [None, "", "not-a-key"])
def test_a_missing_or_wrong_key_is_403(geo, area, key):
    answer = geo.post_request(**filing(key, area))
    assert answer.status == 403
    assert text(answer.data[0]["code"]) == "403"
    assert "api_key" in answer.data[0]["description"]
    assert not Complaint.objects.exists()


def test_the_key_of_an_inactive_partner_is_403(geo, api_key, area):

    Partner.objects.update(active=False)
    assert geo.post_request(**filing(api_key, area)).status == 403
    assert not Complaint.objects.exists()


def test_a_replaced_key_stops_working(geo, api_key, area):

    partners.rotate_open311_key(Partner.objects.get())
    assert geo.post_request(**filing(api_key, area)).status == 403


def test_an_unknown_service_code_is_400(geo, api_key, area):
    answer = geo.post_request(**filing(api_key, area, service_code="pizza"))
    assert answer.status == 400
    assert "service_code" in answer.data[0]["description"]
    assert not Complaint.objects.exists()


def test_invalid_input_is_400_listing_each_problem_by_its_spec_name(geo, api_key, area):
    answer = geo.post_request(**filing(api_key, area, phone="12345", lat="48.85", long="2.35", description=None))
    descriptions = " ".join(error["description"] for error in answer.data)
    assert answer.status == 400
    assert len(answer.data) == 3
    assert "phone:" in descriptions
    assert "lat:" in descriptions
    assert "description:" in descriptions
    assert not Complaint.objects.exists()


def test_a_missing_kelurahan_is_400(geo, api_key, area):
    answer = geo.post_request(**filing(api_key, area, **{"attribute[kelurahan]": "no-such-place"}))
    assert answer.status == 400
    assert answer.data[0]["description"].startswith("attribute[kelurahan]:")
    assert not Complaint.objects.exists()


def test_errors_are_described_in_the_callers_language(client, api_key, area):
    geo = GeoReportClient(client, "json", language="id")
    answer = geo.post_request(**filing(api_key, area, address_string=""))
    assert answer.data[0]["description"] == "address_string: Mohon sebutkan lokasi masalahnya."


def test_a_media_url_that_is_not_a_web_link_is_400(geo, api_key, area):
    answer = geo.post_request(**filing(api_key, area, media_url="file:///etc/passwd"))
    assert answer.status == 400
    assert "media_url" in answer.data[0]["description"]
    assert not Complaint.objects.exists()


def test_filing_is_limited_per_partner_not_per_client_address(client, settings, api_key, area):
    settings.OPEN311_RATE_PER_PARTNER = "2/h"
    other, _ = partners.register_partner(name="Warga Peduli", partner_id="WARGA-01")
    other_key = partners.rotate_open311_key(other)
    geo = GeoReportClient(client, "json")
    for n in range(2):
        assert geo.post_request(**filing(api_key, area, phone=f"0812-1111-000{n}")).status == 201
    refused = geo.post_request(**filing(api_key, area, phone="0812-1111-0009"))
    assert refused.status == 429
    assert text(refused.data[0]["code"]) == "429"
    assert geo.post_request(**filing(other_key, area, phone="0812-1111-0009")).status == 201
    assert Complaint.objects.count() == 3


def test_filing_is_limited_per_reporter_phone_across_partners(client, settings, api_key, area):
    settings.COMPLAINTS_RATE_PER_PHONE = "1/d"
    other, _ = partners.register_partner(name="Warga Peduli", partner_id="WARGA-01")
    geo = GeoReportClient(client, "json")
    assert geo.post_request(**filing(api_key, area)).status == 201
    refused = geo.post_request(**filing(partners.rotate_open311_key(other), area, phone="+62 812 3456 7890"))
    assert refused.status == 429
    assert Complaint.objects.count() == 1


def test_the_open311_key_command_issues_a_working_key_and_the_old_one_stops(client, area):

    partners.register_partner(name="Lapor Mataram", partner_id="LAPOR-01")
    keys = []
    for _ in range(2):
        out = StringIO()
        call_command("open311_key", "LAPOR-01", stdout=out)
        keys.append(out.getvalue().strip().splitlines()[-1])
    geo = GeoReportClient(client, "json")
    assert geo.post_request(**filing(keys[0], area)).status == 403
    assert geo.post_request(**filing(keys[1], area)).status == 201


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_partners_file_without_a_csrf_token_their_key_is_the_credential(fmt, api_key, area):

    answer = GeoReportClient(Client(enforce_csrf_checks=True), fmt).post_request(**filing(api_key, area))
    assert answer.status == 201
    assert Complaint.objects.count() == 1
