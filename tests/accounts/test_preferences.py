"""What people choose about their messages: channels per kind, WhatsApp consent, quiet hours, and opting out."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import outbox
from accounts.models import Customer, Notification
from accounts.recipients import Kind, held_for_quiet_hours, opt_out_token, quiet_hours_end, recipients
from tests.factories.accounts import ConnectionLinkFactory, ServiceConnectionFactory

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")
PHONE = "+6281234567890"


@pytest.fixture
def daytime(settings):
    """Quiet hours that never apply, so that channel tests do not depend on the clock."""
    settings.NOTIFY_QUIET_HOURS_START = settings.NOTIFY_QUIET_HOURS_END = "00:00"


def linked(**user):
    return ConnectionLinkFactory(**{f"user__{name}": value for name, value in {"phone": PHONE, **user}.items()})


def test_each_kind_of_message_goes_by_the_channels_chosen_for_it(daytime):
    link = linked(channel_preferences={"bills": ["sms"], "complaints": ["email", "sms"]})
    assert recipients(link.connection, Kind.BILLS)[0].channels == ("sms",)
    assert recipients(link.connection, Kind.COMPLAINTS)[0].channels == ("email", "sms")


def test_a_kind_never_chosen_follows_the_usual_channels(daytime):
    link = linked(notify_email=True, notify_sms=True, channel_preferences={"bills": ["sms"]})
    assert recipients(link.connection, Kind.RECEIPTS)[0].channels == ("email", "sms")


def test_outage_notices_follow_the_persons_choices_too(daytime):
    link = linked(channel_preferences={"outages": ["sms"]})
    assert recipients(link.connection, Kind.OUTAGES)[0].channels == ("sms",)


def test_whatsapp_needs_a_recorded_consent(daytime):
    link = linked(notify_email=False, channel_preferences={"bills": ["whatsapp", "sms"]})
    assert recipients(link.connection, Kind.BILLS)[0].channels == ("sms",)


def test_whatsapp_is_used_once_consent_is_recorded(daytime):
    link = linked(channel_preferences={"bills": ["whatsapp"]}, whatsapp_opt_in_at=timezone.now())
    assert recipients(link.connection, Kind.BILLS)[0].channels == ("whatsapp",)


def test_a_person_left_with_no_reachable_channel_gets_e_mail(daytime):
    link = linked(phone=None, channel_preferences={"receipts": ["sms"]})
    assert recipients(link.connection, Kind.RECEIPTS)[0].channels == ("email",)


def test_choosing_whatsapp_on_the_profile_records_when_and_how_consent_was_given(customer_client, customer):
    form = {"full_name": "Budi", "phone": "0812 3456 7890", "language": "id", "notify_email": "on"}
    customer_client.post(reverse("accounts:profile"), {**form, "channels_bills": ["whatsapp", "email"]})
    customer.refresh_from_db()
    assert customer.channel_preferences == {"bills": ["whatsapp", "email"]}
    assert (customer.whatsapp_opt_in_at is not None, customer.whatsapp_opt_in_via) == (True, "profile")


def test_choosing_whatsapp_nowhere_withdraws_the_consent(customer_client, customer):
    customer.whatsapp_opt_in_at, customer.whatsapp_opt_in_via = timezone.now(), "profile"
    customer.save()
    form = {"full_name": "Budi", "phone": "", "language": "id", "notify_email": "on", "channels_bills": ["email"]}
    customer_client.post(reverse("accounts:profile"), form)
    customer.refresh_from_db()
    assert (customer.whatsapp_opt_in_at, customer.channel_preferences) == (None, {"bills": ["email"]})


def test_the_profile_refuses_text_channels_for_a_kind_without_a_phone(customer_client, customer):
    form = {"full_name": "Budi", "phone": "", "language": "id", "notify_email": "on", "channels_bills": ["sms"]}
    response = customer_client.post(reverse("accounts:profile"), form)
    customer.refresh_from_db()
    assert customer.channel_preferences == {}
    assert "Isi nomor HP Anda" in response.content.decode()


def test_quiet_hours_run_overnight_and_end_in_the_morning():
    late = datetime(2026, 3, 2, 22, 30, tzinfo=WITA)
    early = datetime(2026, 3, 3, 6, 0, tzinfo=WITA)
    assert quiet_hours_end(late) == quiet_hours_end(early) == datetime(2026, 3, 3, 7, 0, tzinfo=WITA)
    assert quiet_hours_end(datetime(2026, 3, 3, 12, 0, tzinfo=WITA)) is None


def test_quiet_hours_hold_whatsapp_and_sms_but_not_e_mail():
    link = linked(notify_sms=True)
    night = datetime(2026, 3, 2, 23, 0, tzinfo=WITA)
    (person,) = recipients(link.connection, Kind.BILLS)
    held = held_for_quiet_hours(person, Kind.BILLS, night)
    assert held.held_until == {"sms": datetime(2026, 3, 3, 7, 0, tzinfo=WITA)}


def test_outage_notices_are_not_held_by_quiet_hours():
    link = linked(notify_sms=True)
    (person,) = recipients(link.connection, Kind.OUTAGES)
    assert held_for_quiet_hours(person, Kind.OUTAGES, datetime(2026, 3, 2, 23, 0, tzinfo=WITA)).held_until == {}


def test_a_held_message_waits_in_the_outbox_until_the_quiet_hours_end(settings):
    settings.NOTIFY_QUIET_HOURS_START, settings.NOTIFY_QUIET_HOURS_END = "00:00", "23:59"
    link = linked(notify_email=False, notify_sms=True)
    (person,) = recipients(link.connection, Kind.BILLS)
    outbox.notify(person, "billing/due_reminder", {}, dedupe_key="held")
    row = Notification.objects.get()
    assert (row.status, row.enqueued_at, row.next_attempt_at > timezone.now()) == ("queued", None, True)


def test_a_customer_of_record_gets_a_signed_link_to_stop_messages(daytime):
    connection = ServiceConnectionFactory(customer__email="budi@example.test", customer__phone="")
    (holder,) = recipients(connection, Kind.BILLS)
    assert holder.context["opt_out_url"].endswith(
        reverse("accounts:opt-out", args=[opt_out_token(connection.customer)])
    )


def test_the_opt_out_link_stops_every_message_to_the_customer_of_record(client, daytime):
    connection = ServiceConnectionFactory(customer__email="budi@example.test")
    response = client.post(reverse("accounts:opt-out", args=[opt_out_token(connection.customer)]))
    assert "Kami tidak akan mengirim pesan lagi" in response.content.decode()
    connection.customer.refresh_from_db()
    assert connection.customer.messages_opted_out_at is not None
    assert recipients(connection, Kind.OUTAGES) == []


def test_opening_the_opt_out_link_only_asks(client):
    connection = ServiceConnectionFactory(customer__email="budi@example.test")
    client.get(reverse("accounts:opt-out", args=[opt_out_token(connection.customer)]))
    assert Customer.objects.get().messages_opted_out_at is None


def test_a_forged_opt_out_link_is_not_found_and_changes_nothing(client):
    ServiceConnectionFactory(customer__email="budi@example.test")
    response = client.post(reverse("accounts:opt-out", args=["1:forged"]))
    assert response.status_code == 404
    assert Customer.objects.get().messages_opted_out_at is None


def test_a_customer_of_record_reads_how_to_stop_messages_in_an_outage_e_mail(daytime):
    connection = ServiceConnectionFactory(customer__email="budi@example.test", customer__phone="")
    (holder,) = recipients(connection, Kind.OUTAGES)
    (row,) = outbox.notify(holder, "complaints/outage", {"closed": True, "title": "Pipa", "areas": "X"}, "o:1")
    link = reverse("accounts:opt-out", args=[opt_out_token(connection.customer)])
    assert link in outbox.render(row).text
