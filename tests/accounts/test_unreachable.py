"""A contact marked unreachable on a channel is skipped; the message goes by the person's next channel."""

import pytest
from django.core import mail
from django.utils import timezone

from accounts import outbox
from accounts.models import Notification, UnreachableAddress
from tests.factories.accounts import CustomerFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_templates")]


def test_an_opted_out_whatsapp_number_gets_the_message_by_email_instead(django_capture_on_commit_callbacks):
    user = UserFactory(
        full_name="Budi Santoso",
        email="budi@example.test",
        phone="+6281234567890",
        notify_email=False,
        notify_whatsapp=True,
        whatsapp_opt_in_at=timezone.now(),
    )
    UnreachableAddress.objects.create(channel="whatsapp", address=user.phone, reason="opted out: replied STOP")

    with django_capture_on_commit_callbacks(execute=True):
        [row] = outbox.notify(user, "test/hello", {"code": "77"}, dedupe_key="skip-1")

    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED
    assert "opted out" in row.last_error
    [message] = mail.outbox
    assert message.to == ["Budi Santoso <budi@example.test>"]
    assert Notification.objects.get(channel="email").status == Notification.Status.SENT


def test_a_bounced_email_address_of_a_customer_of_record_gets_an_sms_instead(django_capture_on_commit_callbacks):
    customer = CustomerFactory(email="gone@example.test", phone="+6281298765432")
    UnreachableAddress.objects.create(channel="email", address="gone@example.test", reason="hard bounce")

    with django_capture_on_commit_callbacks(execute=True):
        outbox.notify(outbox.Recipient.for_customer(customer), "test/hello", {"code": "1"}, dedupe_key="skip-2")

    assert not mail.outbox
    sms = Notification.objects.get(channel="sms")
    assert sms.status == Notification.Status.SENT
    assert sms.to_address == "+6281298765432"


def test_a_person_already_getting_the_message_on_the_next_channel_gets_it_once(django_capture_on_commit_callbacks):
    user = UserFactory(
        phone="+6281234567890", notify_email=True, notify_whatsapp=True, whatsapp_opt_in_at=timezone.now()
    )
    UnreachableAddress.objects.create(channel="whatsapp", address=user.phone, reason="131026")

    with django_capture_on_commit_callbacks(execute=True):
        outbox.notify(user, "test/hello", {"code": "77"}, dedupe_key="skip-3")

    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 2


def test_with_no_other_reachable_channel_the_message_fails_saying_why(django_capture_on_commit_callbacks):
    user = UserFactory(email="budi@example.test", notify_email=True)
    UnreachableAddress.objects.create(channel="email", address="budi@example.test", reason="550 5.1.1 no such user")

    with django_capture_on_commit_callbacks(execute=True):
        [row] = outbox.notify(user, "test/hello", {"code": "77"}, dedupe_key="skip-4")

    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED
    assert "550 5.1.1" in row.last_error
    assert not mail.outbox
