"""Delivery of outbox rows: publishing their send tasks, claiming and sending each once, and the sweeper.

A row is *due* once its `next_attempt_at` has passed, and only a due row is claimed: a duplicate task (a
re-publish by the sweeper, a broker redelivery) that arrives early finds nothing to do. `enqueued_at` is
when a task for the row was last handed to the broker; the sweeper re-publishes a due row only when that
task looks lost (older than OUTBOX_STUCK_MINUTES) or was never published (broker down), not while it may
still be waiting in the queue. Every claim counts an attempt, and no row is claimed or given back beyond
OUTBOX_MAX_ATTEMPTS, so a message whose send kills or hangs its worker cannot loop forever.
"""

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import timedelta

import requests
from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts import fallback
from accounts.channels import MessageBackend, PermanentFailure, send_email, text_backend
from accounts.models import Notification, UnreachableAddress
from accounts.outbox import render
from accounts.providers.http import pin_environment

logger = logging.getLogger("tirta.outbox")

Channel = Notification.Channel
Status = Notification.Status
SWEEP_BATCH = 5000
# Rows per send task: one claim, one look-up of unreachable addresses and one task's overhead for them all.
TASK_BATCH = 50
_monotonic = time.monotonic


class RetryLater(Exception):
    """A transient failure: the task should try again after `countdown` seconds."""

    def __init__(self, countdown: int) -> None:
        super().__init__(countdown)
        self.countdown = countdown


def backoff_seconds(attempts: int) -> int:
    """30 s, 2 min, 8 min, 32 min … capped at 2 h."""
    return int(min(30 * 4 ** max(attempts - 1, 0), 7200))


def enqueue(pks: Sequence[int], countdown: int | None = None, batch: int = TASK_BATCH) -> list[int]:
    """Publish send tasks for the rows, `batch` rows a task, and return the rows published.

    When the broker refuses, the rows not yet published are marked for the next sweep at once and the
    rest of the batch is not tried: one failed publish is all an outage costs the caller (a web request).
    """
    from accounts.tasks import send_notification

    for start in range(0, len(pks), batch):
        try:
            send_notification.apply_async((list(pks[start : start + batch]),), countdown=countdown)
        except (OperationalError, OSError) as exc:
            unpublished = pks[start:]
            Notification.objects.filter(pk__in=unpublished, status=Status.QUEUED).update(enqueued_at=None)
            logger.warning("broker unavailable, %s message(s) left to the next sweep: %s", len(unpublished), exc)
            return list(pks[:start])
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


def _claim(ids: Sequence[int]) -> list[Notification]:
    """Claim the due rows among `ids` with one conditional UPDATE and return them, in the order of `ids`.

    The UPDATE is the claim: of two workers given the same row, one updates it and the other finds it no
    longer queued; a row not yet due (a duplicate task arriving early) is left alone. Rows that have had all
    their attempts are failed instead.
    """
    if not ids:
        return []
    now = timezone.now()
    due = Notification.objects.filter(pk__in=ids, status=Status.QUEUED, next_attempt_at__lte=now)
    # UPDATE … RETURNING (Postgres, SQLite ≥ 3.35): the claim and the ids claimed in one statement.
    placeholders = ", ".join(["%s"] * len(ids))  # the ids themselves are parameters
    sql = (
        "UPDATE accounts_notification SET status = %s, claimed_at = %s, attempts = attempts + 1"  # noqa: S608
        f" WHERE id IN ({placeholders}) AND status = %s AND next_attempt_at <= %s AND attempts < %s RETURNING id"
    )
    at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [Status.SENDING, at, *ids, Status.QUEUED, at, settings.OUTBOX_MAX_ATTEMPTS])
        claimed = {pk for (pk,) in cursor.fetchall()}
    if len(claimed) < len(set(ids)):
        _give_up(due.filter(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS))
    if not claimed:
        return []
    rows = Notification.objects.in_bulk(claimed)
    return [rows[pk] for pk in dict.fromkeys(ids) if pk in rows]


def deliver(notification_id: int) -> None:
    """Send one due message once. Raises RetryLater on a transient failure (network, SMTP 4xx, provider), and
    whatever else the send raised after failing the message for good."""
    claimed = _claim([notification_id])
    reasons = fallback.unreachable_reasons(claimed)
    for notification in claimed:
        _deliver_claimed(notification, reasons.get(notification.pk))


def deliver_many(ids: Sequence[int]) -> list[tuple[int, int]]:
    """Send the due messages among `ids`, each once, claimed together; returns (id, countdown) of those to
    try again. One message's failure never stops the others'.

    Rows still waiting in the batch when half of OUTBOX_STUCK_MINUTES has passed since the claim (slow
    providers) are given back unsent, with their attempt, before the sweeper could take them for lost.
    """
    claimed = _claim(ids)
    reasons = fallback.unreachable_reasons(claimed)
    deadline = _monotonic() + settings.OUTBOX_STUCK_MINUTES * 30
    retries: list[tuple[int, int]] = []
    with _marks_without_waiting_for_disk(), _Senders() as senders:
        for index, notification in enumerate(claimed):
            if _monotonic() > deadline:
                rest = [row.pk for row in claimed[index:]]
                Notification.objects.filter(pk__in=rest, status=Status.SENDING).update(
                    status=Status.QUEUED, attempts=F("attempts") - 1, enqueued_at=timezone.now()
                )
                retries.extend((pk, 0) for pk in rest)
                break
            try:
                _deliver_claimed(notification, reasons.get(notification.pk), senders)
            except RetryLater as exc:
                retries.append((notification.pk, exc.countdown))
            except Exception:
                logger.exception("notification %s: the send raised", notification.pk)  # recorded as failed
    return retries


@contextmanager
def _marks_without_waiting_for_disk() -> Iterator[None]:
    """Commit the rows' outcomes without waiting for the disk flush (Postgres `synchronous_commit = off`).

    Each mark is visible to every other session at once, so no claim and no sweep reads it differently; only a
    crash of Postgres itself may lose the last fraction of a second of marks, and a row whose `sent` mark is
    lost is sent again, as after a worker killed between the send and the mark. A flush per message was half
    of the outbox's cost per message (bench/README.md).
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


class _Senders:
    """The providers' clients of one batch, opened on first use and shared by its messages: one kept-alive
    connection per provider instead of a new one per message. A transport error drops the e-mail connection,
    so the next message opens a fresh one."""

    def __init__(self) -> None:
        self.email: BaseEmailBackend | None = None
        self.text: dict[str, MessageBackend] = {}

    def __enter__(self) -> "_Senders":
        return self

    def __exit__(self, *exc: object) -> None:
        self.drop_email()
        for backend in self.text.values():
            session = getattr(backend, "session", None)
            if session is not None:
                session.close()

    def email_connection(self) -> BaseEmailBackend:
        if self.email is None:
            self.email = get_connection()
            self.email.open()
            session = getattr(self.email, "session", None)  # an API provider's, through django-anymail
            if isinstance(session, requests.Session):
                pin_environment(session, str(getattr(self.email, "api_url", "")))
        return self.email

    def drop_email(self) -> None:
        if self.email is not None:
            with suppress(OSError):  # it is being dropped because it failed
                self.email.close()
            self.email = None

    def text_backend(self, channel: str) -> MessageBackend:
        if channel not in self.text:
            self.text[channel] = text_backend(channel)
        return self.text[channel]


def _deliver_claimed(notification: Notification, unreachable: str | None, senders: _Senders | None = None) -> None:
    if unreachable is not None:
        rerouted = fallback.reroute(notification, unreachable)
        if rerouted is not None:
            enqueue([rerouted.pk])
        return
    provider_id = ""
    try:
        message = render(notification)
        if notification.channel == Channel.EMAIL:
            connection = senders.email_connection() if senders else None
            pid = message_id(notification)
            provider_id = send_email(notification.to_name, notification.to_address, message, pid, connection)
        else:
            backend = senders.text_backend(notification.channel) if senders else text_backend(notification.channel)
            provider_id = backend.deliver(notification, message)
    except PermanentFailure as exc:
        _refused(notification, exc)
        return
    except OSError as exc:  # network and SMTP errors (smtplib.SMTPException is an OSError)
        if senders is not None and notification.channel == Channel.EMAIL:
            senders.drop_email()
        _record_failure(notification, exc, transient=True)
        return
    except Exception as exc:
        _record_failure(notification, exc, transient=False)
        raise
    Notification.objects.filter(pk=notification.pk).update(
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
    given_back = list(dead.values_list("pk", flat=True)[:SWEEP_BATCH])
    Notification.objects.filter(pk__in=given_back).update(status=Status.QUEUED, enqueued_at=None)
    # One task each: the message may be what killed its worker, and must not spend the attempts of others.
    published_alone = enqueue(given_back, batch=1)
    Notification.objects.filter(pk__in=published_alone, status=Status.QUEUED).update(enqueued_at=now)
    lost = Notification.objects.filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stuck, next_attempt_at__lt=stuck),
        status=Status.QUEUED,
        next_attempt_at__lte=now,
    )
    pks = list(lost.order_by("next_attempt_at").values_list("pk", flat=True)[:SWEEP_BATCH])
    published = enqueue(pks)
    Notification.objects.filter(pk__in=published, status=Status.QUEUED).update(enqueued_at=now)
    return len(published_alone) + len(published)
