import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from accounts import delivery, outbox
from accounts.models import Notification
from accounts.outbox import Attachment, Recipient
from tests.factories.accounts import CustomerFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_templates")]
Status = Notification.Status


@outbox.attachment_renderer("test.code_file")
def code_file(code: str) -> tuple[str, bytes, str]:
    return f"code-{code}.txt", code.encode(), "text/plain"


class FailingSMTP(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection lost")


def test_a_user_gets_one_message_per_chosen_channel():
    user = UserFactory(
        phone="+6281234567890",
        notify_email=True,
        notify_sms=True,
        notify_whatsapp=True,
        whatsapp_opt_in_at=timezone.now(),
    )
    rows = outbox.notify(user, "test/hello", {"code": "1"}, dedupe_key="k1")
    assert sorted((r.channel, r.to_address) for r in rows) == [
        ("email", user.email),
        ("sms", "+6281234567890"),
        ("whatsapp", "+6281234567890"),
    ]


def test_a_channel_without_an_address_is_skipped():
    user = UserFactory(phone=None, notify_email=True, notify_sms=True)
    assert [r.channel for r in outbox.notify(user, "test/hello", {"code": "1"}, dedupe_key="k1")] == ["email"]


def test_the_same_dedupe_key_never_queues_a_second_message():
    user = UserFactory()
    outbox.notify(user, "test/hello", {"code": "1"}, dedupe_key="receipt:7")
    assert outbox.notify(user, "test/hello", {"code": "1"}, dedupe_key="receipt:7") == []
    assert Notification.objects.count() == 1


def test_a_message_exists_only_if_its_transaction_commits():
    user = UserFactory()

    def failing_payment():
        with transaction.atomic():
            outbox.notify(user, "test/hello", {"code": "1"}, dedupe_key="k1")
            raise RuntimeError("the payment failed")

    with pytest.raises(RuntimeError):
        failing_payment()
    assert not Notification.objects.exists()


def test_a_duplicate_does_not_spoil_the_callers_transaction():
    user = UserFactory()
    with transaction.atomic():
        outbox.notify(user, "test/hello", {"code": "1"}, dedupe_key="k1")
        outbox.notify(user, "test/hello", {"code": "1"}, dedupe_key="k1")
        user.full_name = "Still saved"
        user.save()
    user.refresh_from_db()
    assert user.full_name == "Still saved"


def test_committing_sends_the_e_mail_with_text_html_and_attachment(django_capture_on_commit_callbacks):
    user = UserFactory(full_name="Budi Santoso", email="budi@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        outbox.notify(
            user, "test/hello", {"code": "42"}, "k1", attachments=[Attachment("test.code_file", {"code": "42"})]
        )
    [message] = mail.outbox
    assert message.subject == "Hello Budi Santoso"
    assert message.to == ["Budi Santoso <budi@example.test>"]
    assert message.body.startswith("Your code is 42.\n")
    assert "<p>Your code is <b>42</b>.</p>" in message.alternatives[0].content
    assert [tuple(a) for a in message.attachments] == [("code-42.txt", "42", "text/plain")]
    assert Notification.objects.get().status == Status.SENT


def test_delivering_the_same_row_twice_sends_once():
    [row] = outbox.notify(UserFactory(), "test/hello", {"code": "1"}, dedupe_key="k1")
    delivery.deliver(row.pk)
    delivery.deliver(row.pk)
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 1)


def test_text_channels_use_the_short_template(caplog):
    user = UserFactory(phone="+6281234567890", notify_email=False, notify_sms=True)
    [row] = outbox.notify(user, "test/hello", {"code": "9"}, dedupe_key="k1")
    with caplog.at_level("INFO", logger="tirta.outbox"):
        delivery.deliver(row.pk)
    assert "text message to +6281234567890: Code 9" in caplog.text


def test_a_transient_failure_requeues_with_backoff_and_keeps_the_error(settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_outbox.FailingSMTP"
    [row] = outbox.notify(UserFactory(), "test/hello", {"code": "1"}, dedupe_key="k1")
    with pytest.raises(delivery.RetryLater) as retry:
        delivery.deliver(row.pk)
    row.refresh_from_db()
    assert row.status == Status.QUEUED
    assert row.attempts == 1
    assert "SMTPServerDisconnected" in row.last_error
    assert retry.value.countdown == 30
    assert row.next_attempt_at > timezone.now()


def test_after_the_last_attempt_the_message_is_failed_for_good(settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_outbox.FailingSMTP"
    settings.OUTBOX_MAX_ATTEMPTS = 2
    [row] = outbox.notify(UserFactory(), "test/hello", {"code": "1"}, dedupe_key="k1")
    with pytest.raises(delivery.RetryLater):
        delivery.deliver(row.pk)
    Notification.objects.filter(pk=row.pk).update(status=Status.QUEUED, next_attempt_at=timezone.now())
    delivery.deliver(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 2)


def test_a_broken_template_fails_the_message_without_retrying():
    [row] = outbox.notify(UserFactory(), "test/missing", {}, dedupe_key="k1")
    with pytest.raises(Exception, match="notifications/test/missing"):
        delivery.deliver(row.pk)
    row.refresh_from_db()
    assert row.status == Status.FAILED


def test_backoff_grows_and_is_capped():
    assert [delivery.backoff_seconds(n) for n in (1, 2, 3, 4, 5, 6)] == [30, 120, 480, 1920, 7200, 7200]


def test_the_sweeper_sends_rows_whose_task_was_lost(settings):
    [row] = outbox.notify(UserFactory(), "test/hello", {"code": "1"}, dedupe_key="k1")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=an_hour_ago, enqueued_at=an_hour_ago)
    assert delivery.sweep() == 1
    row.refresh_from_db()
    assert row.status == Status.SENT


def test_the_sweeper_leaves_fresh_rows_to_their_own_task():
    outbox.notify(UserFactory(), "test/hello", {"code": "1"}, dedupe_key="k1")
    assert delivery.sweep() == 0
    assert mail.outbox == []


def test_the_sweeper_gives_back_a_row_whose_worker_died_mid_send():
    [row] = outbox.notify(UserFactory(), "test/hello", {"code": "1"}, dedupe_key="k1")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Notification.objects.filter(pk=row.pk).update(
        status=Status.SENDING, claimed_at=an_hour_ago, next_attempt_at=an_hour_ago, attempts=1
    )
    delivery.sweep()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 2)


def test_a_customer_of_record_is_reached_on_every_address_the_utility_holds():
    customer = CustomerFactory(email="", phone="+6281200001111")
    [row] = outbox.notify(Recipient.for_customer(customer), "test/hello", {"code": "1"}, dedupe_key="k1")
    assert (row.channel, row.to_address, row.customer) == ("sms", "+6281200001111", customer)


def test_notify_many_queues_in_batches_and_skips_existing_keys():
    people = [Recipient.for_contact(f"Warga {n}", email=f"warga{n}@example.test") for n in range(5)]
    assert outbox.notify_many(((p, f"outage:1:{n}") for n, p in enumerate(people)), "test/hello", {}, batch_size=2) == 5
    assert outbox.notify_many(((p, f"outage:1:{n}") for n, p in enumerate(people)), "test/hello", {}, batch_size=2) == 0
    assert Notification.objects.count() == 5


def test_notify_many_merges_each_recipients_own_context_over_the_shared_one():
    people = [Recipient.for_contact(f"Warga {n}", email=f"warga{n}@example.test") for n in range(2)]
    items = [(person, f"bill:{n}", {"code": str(n)}) for n, person in enumerate(people)]
    outbox.notify_many(items, "test/hello", {"code": "shared", "area": "Tallo"})
    contexts = sorted(Notification.objects.values_list("context", flat=True), key=lambda c: c["code"])
    assert contexts == [{"code": "0", "area": "Tallo"}, {"code": "1", "area": "Tallo"}]
