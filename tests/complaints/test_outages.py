from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Area, AuditEntry, Notification
from complaints.models import Outage
from complaints.services import outages
from complaints.services.outages import NoticeData
from tests.factories.accounts import AreaFactory, ConnectionLinkFactory, ServiceConnectionFactory
from tests.factories.complaints import OutageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    return AreaFactory(name="Ampenan", level=Area.Level.KECAMATAN)


def notice(areas, title="Pipa transmisi bocor", **overrides) -> NoticeData:
    now = timezone.now()
    data = {
        "kind": Outage.Kind.UNPLANNED,
        "title": title,
        "description": "Air mati sementara.",
        "areas": areas,
        "starts_at": now,
        "expected_end_at": now + timedelta(hours=6),
    }
    return NoticeData(**{**data, **overrides})


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what services queue after commit (the Celery task sending the notice), as a real commit would."""

    def run(func, *args):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args)

    return run


def test_publishing_notifies_customers_in_the_areas_and_their_villages_once(supervisor, district, committed):
    village = AreaFactory(parent=district)
    inside = [ServiceConnectionFactory(area=district), ServiceConnectionFactory(area=village)]
    ServiceConnectionFactory(area=AreaFactory())  # elsewhere
    ServiceConnectionFactory(area=village, status="closed")
    outage = committed(outages.publish, supervisor, notice([district]))
    sent = Notification.objects.filter(template="complaints/outage")
    assert set(sent.values_list("customer", flat=True)) == {c.customer_id for c in inside}
    assert outages.notify_affected(outage.pk, outage.revision) == 0  # a repeated task sends nothing new
    assert AuditEntry.objects.filter(action="outage.publish").exists()


def test_an_update_is_sent_once_more_and_a_stale_task_sends_nothing(supervisor, district, committed):
    connection = ServiceConnectionFactory(area=district)
    outage = committed(outages.publish, supervisor, notice([district]))
    later = notice([district], expected_end_at=timezone.now() + timedelta(hours=9))
    committed(outages.update, outage.pk, supervisor, later)
    assert Notification.objects.filter(customer=connection.customer, template="complaints/outage").count() == 2
    assert outages.notify_affected(outage.pk, 1) == 0


def test_closing_tells_customers_water_is_back_once(supervisor, district, committed):
    ServiceConnectionFactory(area=district)
    outage = committed(outages.publish, supervisor, notice([district]))
    committed(outages.close, outage.pk, supervisor)
    committed(outages.close, outage.pk, supervisor)
    closed = Notification.objects.filter(template="complaints/outage", context__closed=True)
    assert closed.count() == 1


def test_the_home_page_shows_current_notices_only(client, district):
    OutageFactory(title="Pemeliharaan reservoir", areas=[district])
    OutageFactory(title="Sudah selesai", areas=[district], status=Outage.Status.CLOSED)
    body = client.get(reverse("portal:home")).content.decode()
    assert "Pemeliharaan reservoir" in body
    assert "Sudah selesai" not in body


def test_the_dashboard_shows_notices_for_the_customers_areas_only(customer_client, customer_connection, district):
    customer_connection.area.parent = district
    customer_connection.area.save()
    OutageFactory(title="Gangguan di kecamatan Anda", areas=[district])
    OutageFactory(title="Gangguan di tempat lain", areas=[AreaFactory()])
    body = customer_client.get(reverse("portal:dashboard")).content.decode()
    assert "Gangguan di kecamatan Anda" in body
    assert "Gangguan di tempat lain" not in body


def test_the_home_page_query_count_does_not_grow_with_notices(client, django_assert_max_num_queries):
    OutageFactory(areas=[AreaFactory()])
    with django_assert_max_num_queries(4) as few:
        client.get(reverse("portal:home"))
    for _ in range(5):
        OutageFactory(areas=[AreaFactory(), AreaFactory()])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("portal:home"))


def test_the_home_page_reads_the_notices_from_the_cache_once_they_are_loaded(client, django_assert_num_queries):
    OutageFactory(title="Pemeliharaan reservoir", areas=[AreaFactory()])
    client.get(reverse("portal:home"))
    with django_assert_num_queries(0):
        body = client.get(reverse("portal:home")).content.decode()
    assert "Pemeliharaan reservoir" in body


def test_a_published_notice_is_on_the_home_page_at_once(client, supervisor, district, committed):
    client.get(reverse("portal:home"))  # the empty list is cached now
    committed(outages.publish, supervisor, notice([district], title="Pipa transmisi bocor"))
    assert "Pipa transmisi bocor" in client.get(reverse("portal:home")).content.decode()


def test_the_home_page_keeps_its_notices_block_in_each_language(client):
    home = reverse("portal:home")
    assert "Air mengalir normal" in client.get(home, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Water is flowing normally" in client.get(home, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Air mengalir normal" in client.get(home, HTTP_ACCEPT_LANGUAGE="id").content.decode()


def test_a_published_notice_replaces_the_cached_block_in_every_language(client, supervisor, district, committed):
    home = reverse("portal:home")
    client.get(home, HTTP_ACCEPT_LANGUAGE="id")
    client.get(home, HTTP_ACCEPT_LANGUAGE="en")
    committed(outages.publish, supervisor, notice([district], title="Pipa transmisi bocor"))
    assert "Pipa transmisi bocor" in client.get(home, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Pipa transmisi bocor" in client.get(home, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_closed_notice_leaves_the_home_page_at_once(client, supervisor, district, committed):
    outage = committed(outages.publish, supervisor, notice([district], title="Pipa transmisi bocor"))
    client.get(reverse("portal:home"))
    committed(outages.close, outage.pk, supervisor)
    assert "Pipa transmisi bocor" not in client.get(reverse("portal:home")).content.decode()


def test_a_notice_edited_outside_the_services_refreshes_the_home_page(
    client, district, django_capture_on_commit_callbacks
):
    outage = OutageFactory(title="Judul lama", areas=[district])
    client.get(reverse("portal:home"))
    with django_capture_on_commit_callbacks(execute=True):
        outage.title = "Judul baru"
        outage.save()  # as the admin does
    body = client.get(reverse("portal:home")).content.decode()
    assert "Judul baru" in body
    assert "Judul lama" not in body


def test_staff_publish_update_and_close_from_the_pages(client, complaints_user, district):
    ConnectionLinkFactory(connection__area=district)
    client.force_login(complaints_user)
    data = {
        "kind": "planned",
        "title": "Pemeliharaan pompa",
        "description": "",
        "areas": [district.pk],
        "starts_at": "2026-05-02T08:00",
        "expected_end_at": "2026-05-02T14:00",
    }
    assert client.post(reverse("complaints_staff:outage-new"), data).status_code == 302
    outage = Outage.objects.get()
    client.post(
        reverse("complaints_staff:outage-edit", args=[outage.pk]), {**data, "expected_end_at": "2026-05-02T16:00"}
    )
    outage.refresh_from_db()
    assert outage.revision == 2
    client.post(reverse("complaints_staff:outage-close", args=[outage.pk]))
    outage.refresh_from_db()
    assert outage.status == Outage.Status.CLOSED


def test_an_end_before_the_start_is_refused(client, complaints_user, district):
    client.force_login(complaints_user)
    data = {
        "kind": "planned",
        "title": "X",
        "areas": [district.pk],
        "starts_at": "2026-05-02T08:00",
        "expected_end_at": "2026-05-02T07:00",
    }
    response = client.post(reverse("complaints_staff:outage-new"), data)
    assert "expected_end_at" in response.context["form"].errors
    assert not Outage.objects.exists()


def test_field_staff_cannot_publish_notices(client, field_user):
    client.force_login(field_user)
    assert client.get(reverse("complaints_staff:outage-new")).status_code == 403


def test_closing_tells_reporters_of_linked_open_tickets_that_water_is_back(supervisor, district, committed):
    from complaints.models import Complaint
    from tests.factories.complaints import ComplaintFactory

    outage = committed(outages.publish, supervisor, notice([district]))
    waiting = ComplaintFactory(outage=outage)
    done = ComplaintFactory(outage=outage, status=Complaint.Status.CLOSED)
    committed(outages.close, outage.pk, supervisor)
    assert waiting.events.get().message.startswith("Gangguan “Pipa transmisi bocor” telah berakhir")
    assert not done.events.exists()
    assert Notification.objects.filter(template="complaints/update", to_address=waiting.reporter_email).exists()


def test_an_outage_notice_reaches_a_portal_user_on_the_channels_they_chose_once(supervisor, district, committed):
    link = ConnectionLinkFactory(
        connection__area=district, user__phone="+6281234567890", user__notify_email=False, user__notify_sms=True
    )
    ConnectionLinkFactory(user=link.user, connection__area=district)  # a second connection of the same person
    committed(outages.publish, supervisor, notice([district]))
    sent = Notification.objects.filter(template="complaints/outage")
    assert list(sent.values_list("user", "channel", "to_address")) == [(link.user.pk, "sms", "+6281234567890")]


def test_a_notice_whose_announcing_task_was_lost_is_fanned_out_by_the_sweep(supervisor, district, settings):
    """Published while the broker was down: the task never ran, so the sweep announces it once it has waited."""
    ServiceConnectionFactory(area=district)
    outage = outages.publish(supervisor, notice([district]))  # its after-commit task never runs here
    sent = Notification.objects.filter(template="complaints/outage")
    assert not sent.exists()

    assert outages.announce_pending() == 0, "a notice changed moments ago may still have its task in the queue"

    Outage.objects.filter(pk=outage.pk).update(updated_at=timezone.now() - timedelta(minutes=11))
    settings.OUTBOX_STUCK_MINUTES = 10
    assert outages.announce_pending() == 1
    assert sent.count() == 1
    assert Outage.objects.get(pk=outage.pk).announced_revision == outage.revision
    assert outages.announce_pending() == 0, "an announced notice is not sent again"


def test_an_announced_notice_is_left_alone_by_the_sweep(supervisor, district, committed):
    ServiceConnectionFactory(area=district)
    outage = committed(outages.publish, supervisor, notice([district]))
    Outage.objects.filter(pk=outage.pk).update(updated_at=timezone.now() - timedelta(hours=1))

    assert outages.announce_pending() == 0
    assert Notification.objects.filter(template="complaints/outage").count() == 1
