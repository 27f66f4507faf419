"""Open311 GeoReport v2, exercised in both formats by a client written from the specification."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from accounts.partners import services as partners
from complaints.models import Complaint, ComplaintEvent
from complaints.open311.models import Open311Request
from tests.complaints.open311_client import GeoReportClient
from tests.factories.accounts import AreaFactory
from tests.factories.complaints import ComplaintFactory, OutageFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["json", "xml"])
def geo(request, client) -> GeoReportClient:
    return GeoReportClient(client, request.param)


@pytest.fixture
def area():
    return AreaFactory(name="Cakranegara Barat", code="5271030001")


@pytest.fixture
def api_key() -> str:
    partner, _ = partners.register_partner(name="Lapor Mataram", partner_id="LAPOR-01")
    return partners.rotate_open311_key(partner)


def filing(api_key: str, area, **overrides) -> dict:
    data = {
        "api_key": api_key,
        "service_code": "burst_pipe",
        "description": "Pipa pecah di depan masjid, air mengalir ke jalan.",
        "address_string": "Jl. Selaparang depan Masjid Nurul Huda",
        "attribute[kelurahan]": area.code,
        "lat": "-8.583149",
        "long": "116.116733",
        "first_name": "Ni Made",
        "last_name": "Ayu",
        "phone": "0812-3456-7890",
        "email": "ayu@example.test",
    }
    category()
    return {key: value for key, value in {**data, **overrides}.items() if value is not None}


def text(value) -> str:
    """A value as XML carries it, so one assertion serves both formats."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


# Services


def test_the_services_are_the_active_complaint_categories(geo):
    category("burst_pipe").__class__.objects.filter(code="billing").update(is_active=False)
    answer = geo.services()
    codes = [service["service_code"] for service in answer.data]
    assert answer.status == 200
    assert "burst_pipe" in codes
    assert "no_water" in codes
    assert "billing" not in codes
    burst = next(s for s in answer.data if s["service_code"] == "burst_pipe")
    assert burst["service_name"] == "Burst or leaking pipe"
    assert text(burst["metadata"]) == "true"
    assert burst["type"] == "realtime"


def test_a_service_definition_asks_for_the_kelurahan_from_a_list(geo, area):
    category()
    answer = geo.service_definition("burst_pipe")
    (attribute,) = answer.data["attributes"]
    assert answer.data["service_code"] == "burst_pipe"
    assert attribute["code"] == "kelurahan"
    assert attribute["datatype"] == "singlevaluelist"
    assert text(attribute["required"]) == "true"
    assert {"key": area.code, "name": "Cakranegara Barat"} in attribute["values"]


def test_an_unknown_service_is_404_in_the_spec_error_shape(geo):
    answer = geo.service_definition("pizza")
    assert answer.status == 404
    assert text(answer.data[0]["code"]) == "404"
    assert "pizza" in answer.data[0]["description"]


def test_discovery_points_at_the_v2_endpoint_in_both_formats(client):
    data = client.get(reverse("api:open311-discovery")).json()
    (endpoint,) = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}


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
    from accounts.partners.models import Partner

    Partner.objects.update(active=False)
    assert geo.post_request(**filing(api_key, area)).status == 403
    assert not Complaint.objects.exists()


def test_a_replaced_key_stops_working(geo, api_key, area):
    from accounts.partners.models import Partner

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


# Reading: only what public tracking may show


@pytest.fixture
def filed():
    return ComplaintFactory(
        area=AreaFactory(name="Cakranegara Barat", code="5271030009", parent=AreaFactory(name="Cakranegara")),
        latitude=Decimal("-8.583149"),
        longitude=Decimal("116.116733"),
        reporter_name="Wayan Sudarma",
        reporter_phone="+6281377778888",
        reporter_email="wayan@example.test",
        address="Jl. Pejanggik No. 12",
        description="Rumah saya di sebelah warung Bu Ketut.",
    )


def test_a_request_shows_service_status_dates_and_area_only(geo, filed):
    answer = geo.request(filed.ticket)
    (shown,) = answer.data
    assert shown["service_request_id"] == filed.ticket
    assert shown["service_code"] == "burst_pipe"
    assert shown["status"] == "open"
    assert shown["address"] == "Cakranegara Barat, Cakranegara"
    assert text(shown["lat"]) == "-8.58"
    assert text(shown["long"]) == "116.12"
    assert shown["requested_datetime"]
    assert shown["expected_datetime"]
    for secret in ("Wayan", "7777", "8888", "wayan@example.test", "Pejanggik", "warung"):
        assert secret not in answer.raw
    assert "description" not in shown
    assert "media_url" not in shown


def test_status_notes_are_the_latest_public_staff_update_never_the_reporters_words(geo, filed):
    ComplaintEvent.objects.create(complaint=filed, kind=ComplaintEvent.Kind.UPDATE, message="Tim menuju lokasi.")
    ComplaintEvent.objects.create(
        complaint=filed, kind=ComplaintEvent.Kind.NOTE, public=False, message="Catatan internal."
    )
    ComplaintEvent.objects.create(
        complaint=filed, kind=ComplaintEvent.Kind.COMMENT, by_reporter=True, message="Hubungi saya di 0813."
    )
    answer = geo.request(filed.ticket)
    assert answer.data[0]["status_notes"] == "Tim menuju lokasi."
    assert "internal" not in answer.raw
    assert "0813" not in answer.raw


def test_an_unknown_request_id_is_404(geo, filed):
    answer = geo.request("ADU-2026-123456")
    assert answer.status == 404
    assert text(answer.data[0]["code"]) == "404"


def test_an_unknown_token_is_404(geo):
    assert geo.token("no-such-token").status == 404


def test_a_list_of_ids_returns_those_requests(geo, filed):
    other = ComplaintFactory()
    ComplaintFactory()
    answer = geo.requests(service_request_id=f"{filed.ticket},{other.ticket}")
    assert {r["service_request_id"] for r in answer.data} == {filed.ticket, other.ticket}


def test_requests_filter_by_service_status_and_dates(geo, filed):
    closed = ComplaintFactory(status=Complaint.Status.CLOSED, category=category("no_water"))
    old = ComplaintFactory(created_at=timezone.now() - timedelta(days=200))
    ids = lambda answer: {r["service_request_id"] for r in answer.data}  # noqa: E731
    assert ids(geo.requests(service_code="no_water")) == {closed.ticket}
    assert ids(geo.requests(status="open")) == {filed.ticket}
    assert ids(geo.requests(status="closed")) == {closed.ticket}
    assert ids(geo.requests()) == {filed.ticket, closed.ticket}
    since = (timezone.now() - timedelta(days=365)).isoformat()
    until = (timezone.now() - timedelta(days=100)).isoformat()
    assert ids(geo.requests(start_date=since, end_date=until)) == {old.ticket}


@pytest.mark.parametrize(("name", "value"), [("start_date", "yesterday"), ("status", "pending")])
def test_a_bad_filter_is_400(geo, name, value):
    answer = geo.requests(**{name: value})
    assert answer.status == 400
    assert answer.data[0]["description"].startswith(f"{name}:")


# Description and key management


def test_the_api_description_lists_the_open311_operations(client):
    schema = client.get(reverse("api:openapi-json")).json()
    assert "/open311/v2/requests.json" in schema["paths"]
    assert set(schema["paths"]["/open311/v2/requests.json"]) == {"get", "post"}
    assert "Tirta partner API" in client.get(reverse("api:openapi-view")).content.decode()


def test_the_open311_key_command_issues_a_working_key_and_the_old_one_stops(client, area):
    from io import StringIO

    from django.core.management import call_command

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
    from django.test import Client

    answer = GeoReportClient(Client(enforce_csrf_checks=True), fmt).post_request(**filing(api_key, area))
    assert answer.status == 201
    assert Complaint.objects.count() == 1


def test_the_list_costs_the_same_queries_for_many_requests(client, django_assert_num_queries):
    geo = GeoReportClient(client, "json")
    ComplaintFactory()
    with django_assert_num_queries(1):
        geo.requests()
    ComplaintFactory.create_batch(5, area=AreaFactory(parent=AreaFactory()))
    with django_assert_num_queries(1):
        assert len(geo.requests().data) == 6
