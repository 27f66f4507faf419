import pytest
from django.urls import reverse

from complaints.models import Complaint
from complaints.services.workflow import Change, add_staff_note, transition
from tests.factories.complaints import ComplaintFactory

pytestmark = pytest.mark.django_db
TRACK = reverse("complaints:track")


@pytest.fixture
def complaint():
    return ComplaintFactory(
        reporter_phone="+6281234567890", reporter_name="Ni Made Ayu", reporter_email="ayu@example.test"
    )


def test_the_ticket_number_and_the_last_four_phone_digits_open_the_report(client, complaint):
    response = client.post(TRACK, {"ticket": complaint.ticket.lower(), "phone_last4": "7890"}, follow=True)
    assert response.status_code == 200
    assert response.context["complaint"] == complaint


def test_wrong_digits_reveal_nothing_not_even_that_the_ticket_exists(client, complaint):
    wrong = client.post(TRACK, {"ticket": complaint.ticket, "phone_last4": "1111"})
    missing = client.post(TRACK, {"ticket": "ADU-2026-999999", "phone_last4": "7890"})
    assert wrong.status_code == missing.status_code == 200
    assert wrong.context["form"].non_field_errors() == missing.context["form"].non_field_errors()
    body = wrong.content.decode()
    for secret in ("Ni Made Ayu", "ayu@example.test", complaint.address, complaint.category.name):
        assert secret not in body


def test_the_tracker_needs_the_digits(client, complaint):
    response = client.post(TRACK, {"ticket": complaint.ticket, "phone_last4": ""})
    assert "phone_last4" in response.context["form"].errors
    assert "complaint" not in response.context


def test_the_ticket_page_is_404_for_a_browser_that_did_not_track_it(client, complaint):
    assert client.get(reverse("complaints:ticket", args=[complaint.ticket])).status_code == 404


def test_tracking_is_rate_limited(client, complaint, settings):
    settings.COMPLAINTS_TRACK_RATE = "3/h"
    for digits in ("0001", "0002", "0003"):
        client.post(TRACK, {"ticket": complaint.ticket, "phone_last4": digits})
    response = client.post(TRACK, {"ticket": complaint.ticket, "phone_last4": "7890"})
    assert response.status_code == 429


def test_the_public_page_shows_public_updates_but_no_internal_notes_or_staff_names(client, complaint, complaints_user):
    transition(complaint.pk, complaints_user, Change(Complaint.Status.VERIFIED, message="Tim segera meluncur."))
    add_staff_note(complaint.pk, complaints_user, "Pelapor sering lapor palsu", public=False)
    client.post(TRACK, {"ticket": complaint.ticket, "phone_last4": "7890"})
    body = client.get(reverse("complaints:ticket", args=[complaint.ticket])).content.decode()
    assert "Tim segera meluncur." in body
    assert "Pelapor sering lapor palsu" not in body
    assert complaints_user.full_name not in body


def test_a_rejected_report_shows_the_reason(client, complaint, complaints_user):
    transition(complaint.pk, complaints_user, Change(Complaint.Status.REJECTED, reason="Bukan wilayah layanan kami."))
    client.post(TRACK, {"ticket": complaint.ticket, "phone_last4": "7890"})
    body = client.get(reverse("complaints:ticket", args=[complaint.ticket])).content.decode()
    assert "Bukan wilayah layanan kami." in body


def test_a_duplicate_shows_the_originals_updates(client, complaint, complaints_user):
    original = ComplaintFactory(status=Complaint.Status.VERIFIED)
    transition(complaint.pk, complaints_user, Change(Complaint.Status.DUPLICATE, duplicate_of=original))
    add_staff_note(original.pk, complaints_user, "Pipa induk sedang diganti.", public=True)
    client.post(TRACK, {"ticket": complaint.ticket, "phone_last4": "7890"})
    body = client.get(reverse("complaints:ticket", args=[complaint.ticket])).content.decode()
    assert original.ticket in body
    assert "Pipa induk sedang diganti." in body


# --- Signed-in customers ---------------------------------------------------------------------------------


def test_a_customer_sees_their_reports_on_the_dashboard(customer_client, customer, customer_connection):
    own = ComplaintFactory(reporter=customer)
    about_connection = ComplaintFactory(connection=customer_connection)
    stranger = ComplaintFactory()
    body = customer_client.get(reverse("portal:dashboard")).content.decode()
    assert own.ticket in body
    assert about_connection.ticket in body
    assert stranger.ticket not in body


def test_a_customer_opens_their_own_ticket(customer_client, customer):
    own = ComplaintFactory(reporter=customer)
    assert customer_client.get(reverse("complaints:ticket", args=[own.ticket])).status_code == 200


def test_a_customer_cannot_see_another_customers_ticket(customer_client, other_customer):
    theirs = ComplaintFactory(reporter=other_customer, connection=other_customer.connections.get())
    assert customer_client.get(reverse("complaints:ticket", args=[theirs.ticket])).status_code == 404
    comment = reverse("complaints:comment", args=[theirs.ticket])
    assert customer_client.post(comment, {"text": "halo"}).status_code == 404


def test_an_unknown_ticket_is_404(client):
    assert client.get(reverse("complaints:ticket", args=["ADU-0000-<script>"])).status_code == 404


def test_the_dashboard_query_count_does_not_grow_with_reports(customer_client, customer, django_assert_max_num_queries):
    ComplaintFactory(reporter=customer)
    with django_assert_max_num_queries(20) as few:
        customer_client.get(reverse("portal:dashboard"))
    ComplaintFactory.create_batch(8, reporter=customer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        customer_client.get(reverse("portal:dashboard"))


def test_the_ticket_page_query_count_does_not_grow_with_its_timeline(
    customer_client, customer, complaints_user, django_assert_max_num_queries
):
    complaint = ComplaintFactory(reporter=customer)
    url = reverse("complaints:ticket", args=[complaint.ticket])
    add_staff_note(complaint.pk, complaints_user, "Satu", public=True)
    with django_assert_max_num_queries(20) as few:
        customer_client.get(url)
    for n in range(6):
        add_staff_note(complaint.pk, complaints_user, f"Kabar {n}", public=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        customer_client.get(url)


def test_english_speakers_get_the_english_category_names(customer_client, customer):
    complaint = ComplaintFactory(reporter=customer)
    response = customer_client.get(reverse("complaints:ticket", args=[complaint.ticket]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Burst or leaking pipe" in response.content.decode()
