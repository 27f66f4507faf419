"""Reading over Open311: only what public tracking may show."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from complaints.models import Complaint, ComplaintEvent
from tests.complaints.open311.client import GeoReportClient, text
from tests.factories.accounts import AreaFactory
from tests.factories.complaints import ComplaintFactory, category

pytestmark = pytest.mark.django_db


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


def test_the_list_costs_the_same_queries_for_many_requests(client, django_assert_num_queries):
    geo = GeoReportClient(client, "json")
    ComplaintFactory()
    with django_assert_num_queries(1):
        geo.requests()
    ComplaintFactory.create_batch(5, area=AreaFactory(parent=AreaFactory()))
    with django_assert_num_queries(1):
        assert len(geo.requests().data) == 6
