import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Notification
from complaints.models import Complaint, ComplaintEvent
from tests.complaints.images import jpeg_bytes
from tests.factories.accounts import AreaFactory
from tests.factories.complaints import OutageFactory, category

pytestmark = pytest.mark.django_db
URL = reverse("complaints:new")


@pytest.fixture
def area():
    return AreaFactory(name="Cakranegara Barat")


def anonymous_report(area, **overrides) -> dict:
    data = {
        "category": category("burst_pipe").pk,
        "description": "Pipa pecah di depan masjid, air mengalir ke jalan.",
        "address": "Jl. Selaparang depan Masjid Nurul Huda",
        "area": area.pk,
        "reporter_name": "Ni Made Ayu",
        "reporter_phone": "0812-3456-7890",
        "reporter_email": "ayu@example.test",
    }
    return {**data, **overrides}


def test_anyone_can_file_and_gets_a_ticket_number_on_screen_and_by_message(client, area):
    response = client.post(URL, anonymous_report(area), follow=True)
    complaint = Complaint.objects.get()
    assert complaint.ticket.startswith("ADU-")
    assert complaint.ticket in response.content.decode()
    assert complaint.reporter_phone == "+6281234567890"
    assert complaint.events.get().kind == ComplaintEvent.Kind.FILED
    sent = Notification.objects.filter(template="complaints/received")
    assert set(sent.values_list("channel", "to_address")) == {("email", "ayu@example.test"), ("sms", "+6281234567890")}
    assert sent.first().context["ticket"] == complaint.ticket


def test_an_anonymous_reporter_must_give_name_mobile_address_and_area(client):
    response = client.post(URL, {"category": category().pk, "description": "Bocor"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"reporter_name", "reporter_phone", "address", "area"}
    assert not Complaint.objects.exists()


def test_a_wrong_mobile_number_is_explained(client, area):
    response = client.post(URL, anonymous_report(area, reporter_phone="12345"))
    assert "reporter_phone" in response.context["form"].errors
    assert not Complaint.objects.exists()


def test_a_map_point_must_be_complete_and_in_indonesia(client, area):
    response = client.post(URL, anonymous_report(area, latitude="-8.58", longitude=""))
    assert "longitude" in response.context["form"].errors
    response = client.post(URL, anonymous_report(area, latitude="48.85", longitude="2.35"))
    assert "latitude" in response.context["form"].errors
    client.post(URL, anonymous_report(area, latitude="-8.583100", longitude="116.116700"))
    assert str(Complaint.objects.get().latitude) == "-8.583100"


def test_photos_are_stored_cleaned(client, area):
    photo = SimpleUploadedFile("bocor.jpg", jpeg_bytes(size=(3000, 2000)), content_type="image/jpeg")
    client.post(URL, {**anonymous_report(area), "photos": [photo]})
    stored = Complaint.objects.get().photos.get()
    assert max(stored.width, stored.height) == 1600


def test_a_non_image_photo_is_refused_and_nothing_is_filed(client, area):
    fake = SimpleUploadedFile("bocor.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    response = client.post(URL, {**anonymous_report(area), "photos": [fake]})
    assert "photos" in response.context["form"].errors
    assert not Complaint.objects.exists()


def test_the_honeypot_stops_bots(client, area):
    response = client.post(URL, anonymous_report(area, website="http://spam.example"))
    assert response.status_code == 200
    assert not Complaint.objects.exists()


def test_filing_is_rate_limited_per_client(client, area, settings):
    settings.COMPLAINTS_RATE_PER_CLIENT = "2/h"
    for n in range(2):
        client.post(URL, anonymous_report(area, reporter_phone=f"0812111100{n:02d}"))
    response = client.post(URL, anonymous_report(area, reporter_phone="081211110099"))
    assert response.status_code == 429
    assert Complaint.objects.count() == 2


def test_filing_is_rate_limited_per_phone_number(client, area, settings):
    settings.COMPLAINTS_RATE_PER_PHONE = "2/d"
    for address in ("10.0.0.1", "10.0.0.2"):
        client.post(URL, anonymous_report(area), REMOTE_ADDR=address)
    response = client.post(URL, anonymous_report(area, reporter_phone="+62 812 3456 7890"), REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 429
    assert Complaint.objects.count() == 2


def test_a_signed_in_customer_reports_on_their_own_connection(customer_client, customer, customer_connection):
    data = {"category": category("meter_leak").pk, "description": "Meter rembes.", "connection": customer_connection.pk}
    response = customer_client.post(URL, {**data, "reporter_name": customer.full_name})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.reporter, complaint.connection) == (customer, customer_connection)
    assert complaint.area == customer_connection.area
    assert complaint.address == customer_connection.address


def test_a_customer_cannot_file_on_someone_elses_connection(customer_client, customer, other_customer):
    other = other_customer.connections.get()
    data = {"category": category().pk, "description": "x", "connection": other.pk, "reporter_name": "Budi"}
    response = customer_client.post(URL, data)
    assert "connection" in response.context["form"].errors
    assert not Complaint.objects.exists()


def test_a_no_water_report_in_an_outage_area_is_linked_and_shows_the_notice(client, area):
    outage = OutageFactory(areas=[area.parent or AreaFactory(level="kecamatan")])
    area.parent = outage.areas.get()
    area.save()
    response = client.post(URL, anonymous_report(area, category=category("no_water").pk), follow=True)
    complaint = Complaint.objects.get()
    assert complaint.outage == outage
    assert outage.title in response.content.decode()
    assert complaint.events.filter(kind=ComplaintEvent.Kind.OUTAGE).exists()


def test_a_burst_pipe_report_is_not_linked_to_an_outage(client, area):
    OutageFactory(areas=[area])
    client.post(URL, anonymous_report(area))
    assert Complaint.objects.get().outage is None


def test_a_closed_outage_links_nothing(client, area):
    OutageFactory(areas=[area], status="closed")
    client.post(URL, anonymous_report(area, category=category("low_pressure").pk))
    assert Complaint.objects.get().outage is None


def test_behind_a_proxy_clients_are_told_apart_by_forwarded_address(client, area, settings):
    settings.COMPLAINTS_RATE_PER_CLIENT = "1/h"
    settings.PROXY_COUNT = 1
    for n, address in enumerate(("203.0.113.7", "198.51.100.9")):
        response = client.post(
            URL, anonymous_report(area, reporter_phone=f"0812222200{n:02d}"), HTTP_X_FORWARDED_FOR=address
        )
        assert response.status_code == 302
    response = client.post(
        URL, anonymous_report(area, reporter_phone="081222220099"), HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert response.status_code == 429
