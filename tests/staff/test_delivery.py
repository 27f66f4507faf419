"""What was sent: staff resend a message (audited) and supervisors see the day's delivery by channel."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import outbox
from accounts.models import AuditEntry, Notification
from accounts.outbox import Recipient
from tests.factories.accounts import ConnectionLinkFactory, ServiceConnectionFactory

pytestmark = pytest.mark.django_db
Status = Notification.Status


def message_to(user, key, **fields):
    (row,) = outbox.notify(Recipient.for_user(user), "billing/due_reminder", {}, dedupe_key=key)
    Notification.objects.filter(pk=row.pk).update(**fields)
    row.refresh_from_db()
    return row


def resend_url(connection, message):
    return reverse("portal:staff-resend", args=[connection.account_number, message.pk])


def test_staff_resend_a_message_to_the_same_address_and_channel(client, counter_user):
    link = ConnectionLinkFactory()
    original = message_to(link.user, "k1", status=Status.FAILED, last_error="timeout")
    client.force_login(counter_user)
    client.post(resend_url(link.connection, original))
    copy = Notification.objects.exclude(pk=original.pk).get()
    assert (copy.to_address, copy.channel, copy.template) == (original.to_address, original.channel, original.template)


def test_a_resend_is_audited_on_the_connection(client, counter_user):
    link = ConnectionLinkFactory()
    original = message_to(link.user, "k1")
    client.force_login(counter_user)
    client.post(resend_url(link.connection, original))
    entry = AuditEntry.objects.get(action="notification.resend")
    assert (entry.actor, entry.connection) == (counter_user, link.connection)


def test_a_message_of_another_connection_cannot_be_resent_from_this_page(client, counter_user):
    link = ConnectionLinkFactory()
    stranger = message_to(ConnectionLinkFactory().user, "k2")
    client.force_login(counter_user)
    assert client.post(resend_url(link.connection, stranger)).status_code == 404
    assert Notification.objects.count() == 1


def test_field_staff_cannot_resend(client, field_user):
    link = ConnectionLinkFactory()
    original = message_to(link.user, "k1")
    client.force_login(field_user)
    client.post(resend_url(link.connection, original))
    assert Notification.objects.count() == 1


def test_the_account_page_offers_to_send_a_message_again(client, counter_user):
    link = ConnectionLinkFactory()
    message_to(link.user, "k1", status=Status.FAILED, last_error="SMTP 550")
    client.force_login(counter_user)
    page = client.get(reverse("portal:staff-account", args=[link.connection.account_number])).content.decode()
    assert "Kirim ulang" in page
    assert "SMTP 550" in page


def test_supervisors_see_todays_messages_by_channel_and_state_with_the_failures(client, supervisor):
    user = ConnectionLinkFactory().user
    message_to(user, "a", status=Status.SENT)
    message_to(user, "b", status=Status.FAILED, last_error="no such user")
    message_to(user, "c", status=Status.FAILED, created_at=timezone.now() - timedelta(days=2), last_error="old one")
    client.force_login(supervisor)
    response = client.get(reverse("portal:staff-delivery"))
    (email,) = [day for day, _ in response.context["rows"] if day.channel == "email"]
    assert email.counts == {"sent": 1, "failed": 1}
    assert [m.last_error for m in response.context["failures"]] == ["no such user"]
    assert "no such user" in response.content.decode()


def test_counter_staff_do_not_see_the_delivery_page(client, counter_user):
    ServiceConnectionFactory()
    client.force_login(counter_user)
    assert client.get(reverse("portal:staff-delivery")).status_code in (403, 404)
