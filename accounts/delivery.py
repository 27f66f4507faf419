"""Delivery of outbox rows: publishing their send tasks, claiming and sending each once, and the sweeper.

A row is *due* once its `next_attempt_at` has passed, and only a due row is claimed: a duplicate task (a
re-publish by the sweeper, a broker redelivery) that arrives early finds nothing to do. `enqueued_at` is
when a task for the row was last handed to the broker; the sweeper re-publishes a due row only when that
task looks lost (older than OUTBOX_STUCK_MINUTES) or was never published (broker down), not while it may
still be waiting in the queue. Every claim counts an attempt, and no row is claimed or given back beyond
OUTBOX_MAX_ATTEMPTS, so a message whose send kills or hangs its worker cannot loop forever.
"""

import logging
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts import fallback
from accounts.channels import PermanentFailure, send_email, text_backend
from accounts.models import Notification, UnreachableAddress
from accounts.outbox import render

logger = logging.getLogger("tirta.outbox")

Channel = Notification.Channel
Status = Notification.Status
SWEEP_BATCH = 5000


class RetryLater(Exception):
    """A transient failure: the task should try again after `countdown` seconds."""

    def __init__(self, countdown: int) -> None:
        super().__init__(countdown)
        self.countdown = countdown


def backoff_seconds(attempts: int) -> int:
    """30 s, 2 min, 8 min, 32 min … capped at 2 h."""
    return int(min(30 * 4 ** max(attempts - 1, 0), 7200))


def enqueue(pks: Sequence[int], countdown: int | None = None) -> list[int]:
    """Publish one send task per row and return the rows published.

    When the broker refuses, the rows not yet published are marked for the next sweep at once and the
    rest of the batch is not tried: one failed publish is all an outage costs the caller (a web request).
    """
    from accounts.tasks import send_notification

    for index, pk in enumerate(pks):
        try:
            send_notification.apply_async((pk,), countdown=countdown)
        except (OperationalError, OSError) as exc:
            unpublished = pks[index:]
            Notification.objects.filter(pk__in=unpublished, status=Status.QUEUED).update(enqueued_at=None)
            logger.warning("broker unavailable, %s message(s) left to the next sweep: %s", len(unpublished), exc)
            return list(pks[:index])
    return list(pks)


def message_id(notification: Notification) -> str:
    """The e-mail's Message-ID, the same for every attempt at one row and unique across rows."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].rstrip(">").strip() or "tirta.invalid"
    return f"<notification.{notification.pk}.{notification.created_at:%Y%m%d%H%M%S}@{domain}>"


def _give_up(rows: QuerySet[Notification]) -> int:
    """Fail rows that have had all their attempts, keeping the error of the last one if it left one."""
    reason = Value("no attempt finished: the send killed or hung its worker")
    failed = rows.update(status=Status.FAILED, last_error=Coalesce(NullIf(F("last_error"), Value("")), reason))
    if failed:
        logger.error("%s notification(s) failed for good after %s attempts", failed, settings.OUTBOX_MAX_ATTEMPTS)
    return failed


def deliver(notification_id: int) -> None:
    """Send one due message once. Raises RetryLater on a transient failure (network, SMTP 4xx, provider).

    The conditional UPDATE is the claim: of two workers given the same row, one updates it and the other
    finds it no longer queued and returns; a task for a row not yet due (a duplicate) returns too.
    """
    now = timezone.now()
    due = Notification.objects.filter(pk=notification_id, status=Status.QUEUED, next_attempt_at__lte=now)
    claimed = due.filter(attempts__lt=settings.OUTBOX_MAX_ATTEMPTS).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        _give_up(due.filter(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS))
        return
    notification = Notification.objects.get(pk=notification_id)
    reason = fallback.unreachable_reason(notification, notification.channel, notification.to_address)
    if reason is not None:
        rerouted = fallback.reroute(notification, reason)
        if rerouted is not None:
            enqueue([rerouted.pk])
        return
    provider_id = ""
    try:
        message = render(notification)
        if notification.channel == Channel.EMAIL:
            provider_id = send_email(notification.to_name, notification.to_address, message, message_id(notification))
        else:
            provider_id = text_backend(notification.channel).deliver(notification, message)
    except PermanentFailure as exc:
        _refused(notification, exc)
        return
    except OSError as exc:  # network and SMTP errors (smtplib.SMTPException is an OSError)
        _record_failure(notification, exc, transient=True)
        return
    except Exception as exc:
        _record_failure(notification, exc, transient=False)
        raise
    Notification.objects.filter(pk=notification_id).update(
        status=Status.SENT, sent_at=timezone.now(), last_error="", provider_id=provider_id
    )


def _refused(notification: Notification, exc: PermanentFailure) -> None:
    """A refusal that will not change: fail the message now, and remember an address that does not exist."""
    _record_failure(notification, exc, transient=False)
    if exc.unreachable:
        UnreachableAddress.objects.update_or_create(
            channel=notification.channel,
            address=notification.to_address,
            defaults={"reason": str(exc)[:2000], "notification": notification, "since": timezone.now()},
        )


def _record_failure(notification: Notification, exc: Exception, *, transient: bool) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if transient and notification.attempts < settings.OUTBOX_MAX_ATTEMPTS:
        countdown = backoff_seconds(notification.attempts)
        Notification.objects.filter(pk=notification.pk).update(
            status=Status.QUEUED,
            last_error=error,
            next_attempt_at=timezone.now() + timedelta(seconds=countdown),
            enqueued_at=timezone.now(),
        )
        logger.warning(
            "notification %s: attempt %s failed, retrying: %s", notification.pk, notification.attempts, error
        )
        raise RetryLater(countdown) from exc
    Notification.objects.filter(pk=notification.pk).update(status=Status.FAILED, last_error=error)
    logger.error("notification %s failed for good after %s attempts: %s", notification.pk, notification.attempts, error)


def sweep() -> int:
    """Re-publish the messages whose task was lost; returns how many. Run periodically by Celery beat."""
    now = timezone.now()
    stuck = now - timedelta(minutes=settings.OUTBOX_STUCK_MINUTES)
    limit = settings.OUTBOX_MAX_ATTEMPTS
    # A worker that died or hung mid-send leaves its row in `sending`. Give it back to the queue, unless it
    # has had all its attempts: the message may be what kills the worker.
    dead = Notification.objects.filter(status=Status.SENDING, claimed_at__lt=stuck)
    _give_up(dead.filter(attempts__gte=limit))
    _give_up(Notification.objects.filter(status=Status.QUEUED, attempts__gte=limit))
    dead.update(status=Status.QUEUED, enqueued_at=None)
    lost = Notification.objects.filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stuck, next_attempt_at__lt=stuck),
        status=Status.QUEUED,
        next_attempt_at__lte=now,
    )
    pks = list(lost.order_by("next_attempt_at").values_list("pk", flat=True)[:SWEEP_BATCH])
    published = enqueue(pks)
    Notification.objects.filter(pk__in=published, status=Status.QUEUED).update(enqueued_at=now)
    return len(published)
