"""The outbox's edges: due claims, the attempt limit, stable Message-IDs and permanent refusals (issue 10)."""

import smtplib
from datetime import timedelta
from email.utils import getaddresses

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from accounts import delivery, outbox
from accounts.models import Notification, UnreachableAddress
from accounts.outbox import Attachment
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db
Status = Notification.Status
rendered: list[str] = []


@pytest.fixture(autouse=True)
def _test_templates(test_templates):
    rendered.clear()


@outbox.attachment_renderer("test.counted_file")
def counted_file(code: str) -> tuple[str, bytes, str]:
    rendered.append(code)
    return f"code-{code}.txt", code.encode(), "text/plain"


class RefusingSMTP(BaseEmailBackend):
    """An SMTP connection whose server answers every recipient with `answer`."""

    answer = (550, b"5.1.1 <nobody@example.test>: no such user")

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: self.answer})


class BusyMailboxSMTP(RefusingSMTP):
    answer = (450, b"4.2.1 mailbox busy, try later")


class SpamRefusingSMTP(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPDataError(554, b"5.7.1 message refused as spam")


def queued_message(**fields) -> Notification:
    [row] = outbox.notify(UserFactory(email="budi@example.test"), "test/hello", {"code": "1"}, dedupe_key="k1")
    Notification.objects.filter(pk=row.pk).update(**fields)
    row.refresh_from_db()
    return row


def test_a_task_for_a_row_not_yet_due_sends_nothing_and_spends_no_attempt():
    row = queued_message(next_attempt_at=timezone.now() + timedelta(minutes=2), attempts=1)
    delivery.deliver(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts, mail.outbox) == (Status.QUEUED, 1, [])


def test_the_sweeper_leaves_a_due_row_whose_task_was_published_moments_ago():
    an_hour_ago = timezone.now() - timedelta(hours=1)
    queued_message(next_attempt_at=an_hour_ago, enqueued_at=timezone.now() - timedelta(minutes=1))
    assert delivery.sweep() == 0
    assert mail.outbox == []


def test_the_sweeper_leaves_a_retry_that_fell_due_moments_ago_to_its_waiting_task():
    queued_message(
        next_attempt_at=timezone.now() - timedelta(minutes=1), enqueued_at=timezone.now() - timedelta(hours=2)
    )
    assert delivery.sweep() == 0


def test_the_sweeper_sends_at_once_a_due_row_whose_publish_failed():
    row = queued_message(enqueued_at=None)
    assert delivery.sweep() == 1
    row.refresh_from_db()
    assert row.status == Status.SENT


def test_a_row_that_has_had_all_its_attempts_is_failed_instead_of_claimed(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    row = queued_message(attempts=3)
    delivery.deliver(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts, mail.outbox) == (Status.FAILED, 3, [])
    assert "killed or hung" in row.last_error


def test_the_sweeper_fails_a_row_whose_worker_died_during_its_last_attempt(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    an_hour_ago = timezone.now() - timedelta(hours=1)
    row = queued_message(status=Status.SENDING, claimed_at=an_hour_ago, next_attempt_at=an_hour_ago, attempts=3)
    assert delivery.sweep() == 0
    row.refresh_from_db()
    assert (row.status, row.attempts, mail.outbox) == (Status.FAILED, 3, [])


def test_the_sweeper_gives_back_a_row_whose_worker_died_before_its_last_attempt(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    an_hour_ago = timezone.now() - timedelta(hours=1)
    row = queued_message(status=Status.SENDING, claimed_at=an_hour_ago, next_attempt_at=an_hour_ago, attempts=2)
    assert delivery.sweep() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, len(mail.outbox)) == (Status.SENT, 3, 1)


def test_every_attempt_at_one_message_carries_the_same_message_id():
    row = queued_message()
    delivery.deliver(row.pk)
    Notification.objects.filter(pk=row.pk).update(status=Status.QUEUED)  # as if the worker died after sending
    delivery.deliver(row.pk)
    [first, repeat] = [m.message()["Message-ID"] for m in mail.outbox]
    assert first == repeat == delivery.message_id(row)
    other = outbox.notify(UserFactory(), "test/hello", {"code": "2"}, dedupe_key="k2")[0]
    assert delivery.message_id(other) != first


def test_a_recipient_refused_for_good_fails_at_once_and_marks_the_address_unreachable(settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_outbox_faults.RefusingSMTP"
    [row] = outbox.notify(
        UserFactory(email="nobody@example.test"),
        "test/hello",
        {"code": "1"},
        "k1",
        attachments=[Attachment("test.counted_file", {"code": "1"})],
    )
    delivery.deliver(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 1)
    assert "no such user" in row.last_error
    assert rendered == ["1"]  # no retry: the attachment was built once
    mark = UnreachableAddress.objects.get()
    assert (mark.channel, mark.address, mark.notification) == ("email", "nobody@example.test", row)


def test_a_recipient_refused_for_now_is_retried_and_not_marked(settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_outbox_faults.BusyMailboxSMTP"
    row = queued_message()
    with pytest.raises(delivery.RetryLater):
        delivery.deliver(row.pk)
    row.refresh_from_db()
    assert row.status == Status.QUEUED
    assert not UnreachableAddress.objects.exists()


def test_a_message_refused_for_its_content_fails_at_once_without_marking_the_address(settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_outbox_faults.SpamRefusingSMTP"
    row = queued_message()
    delivery.deliver(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 1)
    assert not UnreachableAddress.objects.exists()


def test_a_name_with_a_comma_stays_one_recipient():
    user = UserFactory(full_name="Zahra Melani, S.Psi", email="zahra@example.test")
    [row] = outbox.notify(user, "test/hello", {"code": "1"}, dedupe_key="k1")
    delivery.deliver(row.pk)
    [message] = mail.outbox
    assert getaddresses(message.to) == [("Zahra Melani, S.Psi", "zahra@example.test")]


def test_staff_find_unreachable_addresses_in_the_admin(admin_client):
    row = queued_message()
    UnreachableAddress.objects.create(channel="email", address="nobody@example.test", reason="550", notification=row)
    body = admin_client.get(reverse("admin:accounts_unreachableaddress_changelist")).content.decode()
    assert "nobody@example.test" in body
