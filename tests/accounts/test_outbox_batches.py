"""Send tasks carry batches of rows: claimed together, each still sent once, one failure never stopping the rest."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts import delivery, outbox
from accounts.models import Notification, UnreachableAddress
from accounts.outbox import Recipient

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_templates")]
Status = Notification.Status


def queued(count: int, template: str = "test/hello") -> list[int]:
    people = [Recipient.for_contact(f"Warga {n}", email=f"warga{n}@example.test") for n in range(count)]
    outbox.notify_many(((person, f"{template}:{n}") for n, person in enumerate(people)), template, {"code": "5"})
    return list(Notification.objects.filter(template=template).order_by("pk").values_list("pk", flat=True))


@pytest.fixture
def published(monkeypatch):
    tasks: list[list[int]] = []
    monkeypatch.setattr("accounts.tasks.send_notification.apply_async", lambda args, **kw: tasks.append(args[0]))
    return tasks


def test_a_notice_to_many_is_published_in_tasks_of_a_batch_each(published):
    pks = queued(delivery.TASK_BATCH * 2 + 1)
    assert delivery.enqueue(pks) == pks
    assert [len(task) for task in published] == [delivery.TASK_BATCH, delivery.TASK_BATCH, 1]


def test_overlapping_batches_send_each_row_once():
    pks = queued(6)
    assert delivery.deliver_many(pks[:4]) == []
    assert delivery.deliver_many(pks[2:]) == []
    assert sorted(message.to[0] for message in mail.outbox) == [f"Warga {n} <warga{n}@example.test>" for n in range(6)]
    assert set(Notification.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}


def test_one_broken_message_fails_alone_and_the_rest_of_its_batch_is_sent():
    first, last = queued(2)
    [broken] = queued(1, template="test/missing")
    assert delivery.deliver_many([first, broken, last]) == []
    statuses = dict(Notification.objects.values_list("pk", "status"))
    assert statuses.pop(broken) == Status.FAILED
    assert set(statuses.values()) == {Status.SENT}


def test_an_unreachable_address_in_a_batch_is_skipped_and_the_others_are_sent():
    pks = queued(3)
    UnreachableAddress.objects.create(channel="email", address="warga1@example.test", reason="hard bounce")
    delivery.deliver_many(pks)
    assert [message.to[0] for message in mail.outbox] == [
        "Warga 0 <warga0@example.test>",
        "Warga 2 <warga2@example.test>",
    ]
    assert Notification.objects.get(pk=pks[1]).last_error.startswith("skipped")


def test_a_batch_past_half_the_stuck_time_gives_its_unsent_rows_back_with_their_attempt(settings, monkeypatch):
    settings.OUTBOX_STUCK_MINUTES = 10
    pks = queued(3)
    clock = iter([0, 0])  # the claim, the first row; then six minutes have passed
    monkeypatch.setattr(delivery, "_monotonic", lambda: next(clock, 360))
    retries = delivery.deliver_many(pks)
    assert retries == [(pks[1], 0), (pks[2], 0)]
    rows = dict(Notification.objects.values_list("pk", "status"))
    assert (rows[pks[0]], rows[pks[1]], rows[pks[2]]) == (Status.SENT, Status.QUEUED, Status.QUEUED)
    assert set(Notification.objects.filter(pk__in=pks[1:]).values_list("attempts", flat=True)) == {0}


def test_rows_given_back_after_a_dead_worker_are_published_one_per_task(published):
    pks = queued(3)
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Notification.objects.update(status=Status.SENDING, claimed_at=an_hour_ago, attempts=1)
    assert delivery.sweep() == 3
    assert sorted(published) == [[pk] for pk in pks]
