"""Reading your own meter through the pages: the two steps without JavaScript, who may see what, the signed-out
form and its lockout, the review queue and the field readers' CSV."""

import pytest
from django.urls import reverse
from django.utils import timezone

from billing import self_readings
from billing.models import MeterReading, SelfReading
from billing.periods import add_months
from tests.billing.self_reading_helpers import LAST_STAND, _window_and_media, photo, upload, with_history  # noqa: F401
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.billing import BillFactory

pytestmark = pytest.mark.django_db
Status = SelfReading.Status


@pytest.fixture
def period():
    return timezone.localdate().replace(day=1)


@pytest.fixture
def connection(customer_connection, period):
    return with_history(customer_connection, period)


def new_url(connection):
    return reverse("billing:self-reading-new", args=[connection.account_number])


def waiting(connection, reading=LAST_STAND + 16):
    draft = self_readings.start(connection, reading, photo(), None, user=None)
    return self_readings.confirm(draft.pk, checked=True)


# --- The customer's two steps -----------------------------------------------------------------------------


def test_a_customer_sends_a_stand_previews_the_bill_and_confirms_it(customer_client, connection):
    response = customer_client.post(new_url(connection), {"reading": LAST_STAND + 20, "photo": upload()})
    draft = SelfReading.objects.get(connection=connection)
    assert response.status_code == 302
    assert response["Location"] == reverse("billing:self-reading", args=[draft.pk])
    body = customer_client.get(response["Location"]).content.decode()
    assert "20 m³" in body
    assert "Rp 20.000" in body  # the first block
    assert "Rp 30.000" in body  # the second
    assert "Rp 65.000" in body  # with the fixed charge and the administration fee
    assert draft.status == Status.DRAFT
    customer_client.post(response["Location"], {})
    draft.refresh_from_db()
    assert draft.status == Status.PENDING


def test_a_lower_stand_is_sent_only_with_the_check_box_ticked(customer_client, connection):
    customer_client.post(new_url(connection), {"reading": LAST_STAND - 3, "photo": upload()})
    draft = SelfReading.objects.get(connection=connection)
    url = reverse("billing:self-reading", args=[draft.pk])
    assert customer_client.post(url, {}).status_code == 400
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    customer_client.post(url, {"checked": "on"})
    draft.refresh_from_db()
    assert draft.status == Status.PENDING


def test_a_file_that_is_not_a_photo_is_refused_with_a_message(customer_client, connection):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("meter.jpg", b"not an image", content_type="image/jpeg")
    response = customer_client.post(new_url(connection), {"reading": LAST_STAND + 5, "photo": fake})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not SelfReading.objects.exists()


def test_a_billed_period_takes_no_stand_and_says_why(customer_client, connection, period):
    BillFactory(connection=connection, period=period)
    response = customer_client.post(new_url(connection), {"reading": LAST_STAND + 5, "photo": upload()})
    assert response.status_code == 400
    assert not SelfReading.objects.exists()


def test_the_customer_sees_an_accepted_stand_as_accepted(customer_client, connection, billing_user):
    item = self_readings.accept(waiting(connection).pk, billing_user)
    body = customer_client.get(reverse("billing:self-reading", args=[item.pk])).content.decode()
    assert 'data-status="accepted"' in body


def test_the_form_page_query_count_is_small(customer_client, connection, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):  # session, user, connection, and the page's own lookups
        assert customer_client.get(new_url(connection)).status_code == 200


def test_the_preview_page_query_count_does_not_grow_with_history(
    customer_client, connection, django_assert_max_num_queries
):
    customer_client.post(new_url(connection), {"reading": LAST_STAND + 25, "photo": upload()})
    url = reverse("billing:self-reading", args=[SelfReading.objects.get().pk])
    with django_assert_max_num_queries(9) as few:
        customer_client.get(url)
    with_history(connection, add_months(timezone.localdate().replace(day=1), -3))
    with django_assert_max_num_queries(len(few.captured_queries)):
        customer_client.get(url)


# --- Who may see what --------------------------------------------------------------------------------------


def test_another_customers_connection_is_a_404(client, other_customer, connection):
    client.force_login(other_customer)
    assert client.get(new_url(connection)).status_code == 404
    assert client.post(new_url(connection), {"reading": 1, "photo": upload()}).status_code == 404


def test_another_customers_stand_and_its_photo_are_a_404(client, other_customer, connection):
    item = waiting(connection)
    client.force_login(other_customer)
    assert client.get(reverse("billing:self-reading", args=[item.pk])).status_code == 404
    assert client.get(reverse("billing:self-reading-photo", args=[item.pk])).status_code == 404


def test_billing_staff_see_the_photo_and_a_cashier_does_not(client, connection, billing_user, counter_user):
    item = waiting(connection)
    url = reverse("billing:self-reading-photo", args=[item.pk])
    client.force_login(billing_user)
    assert client.get(url)["Content-Type"] == "image/jpeg"
    client.force_login(counter_user)
    assert client.get(url).status_code == 404


# --- Signed out, with the holder's proof --------------------------------------------------------------------


def public_post(client, connection, proof, reading=LAST_STAND + 10):
    data = {"account_number": connection.account_number, "proof": proof, "reading": reading, "photo": upload()}
    return client.post(reverse("billing:self-reading-public"), data)


def test_a_visitor_with_the_meter_number_sends_a_stand_and_follows_it(client, connection):
    response = public_post(client, connection, connection.meter_number)
    item = SelfReading.objects.get(connection=connection)
    assert response["Location"] == reverse("billing:self-reading", args=[item.pk])
    client.post(response["Location"], {})
    item.refresh_from_db()
    assert (item.status, item.submitted_by) == (Status.PENDING, None)


def test_a_wrong_proof_takes_no_stand(client, connection):
    assert public_post(client, connection, "WRONG-123").status_code == 400
    assert not SelfReading.objects.exists()


def test_after_too_many_wrong_proofs_even_the_right_one_waits(client, connection, settings):
    settings.SELF_READING_PROOF_FAILURES = "3/30m"
    for _ in range(3):
        public_post(client, connection, "WRONG-123")
    response = public_post(client, connection, connection.meter_number)
    assert response.status_code == 400
    assert not SelfReading.objects.exists()


def test_the_lockout_counts_per_account_number_from_any_client(client, connection, settings):
    settings.SELF_READING_PROOF_FAILURES = "3/30m"
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        public_post(client.__class__(REMOTE_ADDR=address), connection, "WRONG-123")
    assert public_post(client.__class__(REMOTE_ADDR="10.0.0.4"), connection, connection.meter_number).status_code == 400


def test_a_visitor_cannot_open_a_stand_sent_from_another_browser(client, connection):
    item = waiting(connection)
    assert client.get(reverse("billing:self-reading", args=[item.pk])).status_code == 404


# --- The review queue --------------------------------------------------------------------------------------

QUEUE = reverse("billing:self-reading-queue")


def test_the_queue_is_for_billing_staff(client, customer, counter_user, billing_user):
    client.force_login(counter_user)
    assert client.get(QUEUE).status_code == 403
    client.force_login(customer)
    assert client.get(QUEUE).status_code == 404
    client.force_login(billing_user)
    assert client.get(QUEUE).status_code == 200


def test_the_staff_home_links_the_queue(client, billing_user):
    client.force_login(billing_user)
    assert QUEUE in client.get(reverse("portal:staff-home")).content.decode()


def test_a_reviewer_accepts_from_the_queue(client, connection, billing_user, period):
    item = waiting(connection)
    client.force_login(billing_user)
    assert str(LAST_STAND + 16) in client.get(QUEUE).content.decode()
    client.post(reverse("billing:self-reading-accept", args=[item.pk]))
    assert MeterReading.objects.get(connection=connection, period=period).source == MeterReading.Source.CUSTOMER


def test_a_reviewer_rejects_with_a_reason(client, connection, billing_user):
    item = waiting(connection)
    client.force_login(billing_user)
    client.post(reverse("billing:self-reading-reject", args=[item.pk]), {"reason": "Foto buram"})
    item.refresh_from_db()
    assert (item.status, item.reject_reason) == (Status.REJECTED, "Foto buram")


def test_the_queue_query_count_does_not_grow_with_stands(
    client, connection, billing_user, period, django_assert_max_num_queries
):
    waiting(connection)
    client.force_login(billing_user)
    with django_assert_max_num_queries(12) as few:
        client.get(QUEUE)
    for _ in range(4):
        waiting(with_history(ServiceConnectionFactory(), period))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(QUEUE).content.decode()
    assert body.count("self-reading-review") == 5


# --- The field readers' list ---------------------------------------------------------------------------------


def test_billing_staff_download_the_areas_list_still_to_read(client, connection, billing_user, period):
    neighbour = with_history(ServiceConnectionFactory(area=connection.area), period)
    self_readings.accept(waiting(connection).pk, billing_user)
    client.force_login(billing_user)
    response = client.get(reverse("billing:field-list"), {"area": connection.area_id, "period": f"{period:%Y-%m}"})
    text = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert neighbour.account_number in text
    assert connection.account_number not in text


def test_a_garbled_field_list_request_changes_nothing_and_says_so(client, billing_user):
    client.force_login(billing_user)
    response = client.get(reverse("billing:field-list"), {"area": "x", "period": "2026-13"})
    assert response.status_code == 302


def test_with_htmx_the_preview_follows_the_stand_as_it_is_typed(customer_client, connection):
    response = customer_client.get(new_url(connection), {"reading": LAST_STAND + 20}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "Rp 65.000" in body
    assert not SelfReading.objects.exists()


def test_the_htmx_preview_of_something_not_a_number_is_empty(customer_client, connection):
    response = customer_client.get(new_url(connection), {"reading": "12a"}, HTTP_HX_REQUEST="true")
    assert response.content == b""


def test_the_connection_page_shows_the_latest_stand_sent_and_its_state(customer_client, connection, billing_user):
    self_readings.reject(waiting(connection).pk, billing_user, "Foto buram")
    body = customer_client.get(reverse("billing:connection", args=[connection.account_number])).content.decode()
    assert "ditolak" in body


def test_a_customer_starts_again_by_discarding_the_draft(customer_client, connection):
    customer_client.post(new_url(connection), {"reading": LAST_STAND + 20, "photo": upload()})
    draft = SelfReading.objects.get()
    response = customer_client.post(reverse("billing:self-reading-discard", args=[draft.pk]))
    assert response["Location"] == new_url(connection)
    assert not SelfReading.objects.exists()


def test_drafts_nobody_confirmed_are_dropped_after_a_day_with_their_photos(connection):
    import datetime

    stale = self_readings.start(connection, LAST_STAND + 5, photo(), None, user=None)
    SelfReading.objects.filter(pk=stale.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    fresh = self_readings.start(connection, LAST_STAND + 6, photo(), None, user=None)
    sent = waiting(connection)
    SelfReading.objects.filter(pk=sent.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert self_readings.discard_stale_drafts(datetime.timedelta(days=1)) == 1
    assert set(SelfReading.objects.values_list("pk", flat=True)) == {fresh.pk, sent.pk}
    assert not stale.photo.storage.exists(stale.photo.name)


def test_the_bill_lookup_page_links_the_signed_out_form(client):
    assert reverse("billing:self-reading-public") in client.get(reverse("billing:lookup")).content.decode()
