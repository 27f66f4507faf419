"""The notification outbox: every message to a person is first a `Notification` row.

`notify()` writes the rows inside the caller's transaction, so a message exists exactly when the event that
caused it was committed. After commit a Celery task delivers each row; delivery claims the row with a
conditional UPDATE, so duplicated tasks send nothing twice. `sweep()` re-enqueues rows whose task was lost
(broker down at commit time, worker killed mid-send).
"""

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.channels import RenderedMessage, send_email, text_backend
from accounts.models import Customer, Notification, User

logger = logging.getLogger("tirta.outbox")

Channel = Notification.Channel
Status = Notification.Status

AttachmentRenderer = Callable[..., tuple[str, bytes, str]]
_attachment_renderers: dict[str, AttachmentRenderer] = {}


def attachment_renderer(name: str) -> Callable[[AttachmentRenderer], AttachmentRenderer]:
    """Register a function that builds an attachment at send time, e.g. a receipt PDF from its id.

    Attachments are rendered by the worker, not stored: the outbox row only keeps the renderer's name and
    its (JSON) parameters.
    """

    def register(func: AttachmentRenderer) -> AttachmentRenderer:
        _attachment_renderers[name] = func
        return func

    return register


@dataclass(frozen=True)
class Attachment:
    renderer: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Recipient:
    """Who a message goes to and on which channels."""

    name: str
    email: str = ""
    phone: str = ""
    channels: tuple[str, ...] = (Channel.EMAIL,)
    language: str = settings.LANGUAGE_CODE
    user: User | None = None
    customer: Customer | None = None

    @classmethod
    def for_user(cls, user: User) -> "Recipient":
        channels = []
        if user.notify_email and user.email:
            channels.append(Channel.EMAIL)
        if user.notify_sms and user.phone:
            channels.append(Channel.SMS)
        if user.notify_whatsapp and user.phone:
            channels.append(Channel.WHATSAPP)
        if not channels and user.email:
            channels.append(Channel.EMAIL)  # a receipt must reach someone even if every box was unticked
        return cls(user.full_name, user.email, user.phone or "", tuple(channels), user.language, user=user)

    @classmethod
    def for_contact(cls, name: str, email: str = "", phone: str = "", language: str = "") -> "Recipient":
        """Someone without a portal account (an anonymous reporter): every channel we have an address for."""
        channels = tuple(ch for ch, address in ((Channel.EMAIL, email), (Channel.SMS, phone)) if address)
        return cls(name, email, phone, channels, language or translation.get_language() or settings.LANGUAGE_CODE)

    @classmethod
    def for_customer(cls, customer: Customer) -> "Recipient":
        """A customer of record who may not use the portal: the contact details the utility holds."""
        recipient = cls.for_contact(customer.name, customer.email, customer.phone, settings.LANGUAGE_CODE)
        return replace(recipient, customer=customer)

    def address(self, channel: str) -> str:
        return self.email if channel == Channel.EMAIL else self.phone


def _rows(
    recipient: Recipient, template: str, context: dict[str, Any], dedupe_key: str, attachments: Sequence[Attachment]
) -> list[Notification]:
    return [
        Notification(
            user=recipient.user,
            customer=recipient.customer,
            to_name=recipient.name,
            to_address=recipient.address(channel),
            channel=channel,
            template=template,
            context=context,
            attachments=[{"renderer": a.renderer, "params": a.params} for a in attachments],
            language=recipient.language,
            dedupe_key=f"{dedupe_key}:{channel}",
        )
        for channel in recipient.channels
        if recipient.address(channel)
    ]


def notify(
    recipient: Recipient | User,
    template: str,
    context: dict[str, Any],
    dedupe_key: str,
    attachments: Sequence[Attachment] = (),
) -> list[Notification]:
    """Queue one message per channel of the recipient; call it inside the transaction of the event.

    `template` names a folder under templates/notifications/ holding subject.txt, body.txt, optional
    body.html and short.txt (SMS/WhatsApp). `context` must be JSON-serialisable: it is rendered later by a
    worker. The same `dedupe_key` never produces a second message. Returns the rows created now.
    """
    if isinstance(recipient, User):
        recipient = Recipient.for_user(recipient)
    created = []
    for row in _rows(recipient, template, context, dedupe_key, attachments):
        try:
            with transaction.atomic():  # a savepoint: a duplicate must not spoil the caller's transaction
                row.save(force_insert=True)
        except IntegrityError:
            continue
        created.append(row)
    _enqueue_on_commit([row.pk for row in created])
    return created


def notify_many(
    recipients: Iterable[tuple[Recipient, str] | tuple[Recipient, str, dict[str, Any]]],
    template: str,
    context: dict[str, Any],
    batch_size: int = 1000,
) -> int:
    """Queue one message to each (recipient, dedupe_key) in batches, for notices to whole areas.

    An item may carry a third element, a dict merged over `context` for that recipient alone (a reminder
    naming each person's own bill). Returns the number of rows inserted; rows whose dedupe key exists
    already are left alone.
    """
    inserted = 0
    batch: list[Notification] = []

    def flush() -> None:
        nonlocal inserted
        keys = [row.dedupe_key for row in batch]
        with transaction.atomic():
            before = Notification.objects.filter(dedupe_key__in=keys).count()
            Notification.objects.bulk_create(batch, ignore_conflicts=True)
            pks = list(
                Notification.objects.filter(dedupe_key__in=keys, status=Status.QUEUED).values_list("pk", flat=True)
            )
            inserted += len(keys) - before
            _enqueue_on_commit(pks)
        batch.clear()

    for recipient, dedupe_key, *own in recipients:
        batch.extend(_rows(recipient, template, {**context, **own[0]} if own else context, dedupe_key, ()))
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return inserted


def _enqueue_on_commit(pks: list[int]) -> None:
    if not pks:
        return
    from accounts.tasks import send_notification

    def enqueue() -> None:
        for pk in pks:
            send_notification.delay(pk)

    # robust: a broker outage must not undo or break the request that caused the message; sweep() catches up.
    transaction.on_commit(enqueue, robust=True)


class RetryLater(Exception):
    """A transient failure: the task should try again after `countdown` seconds."""

    def __init__(self, countdown: int) -> None:
        super().__init__(countdown)
        self.countdown = countdown


def backoff_seconds(attempts: int) -> int:
    """30 s, 2 min, 8 min, 32 min … capped at 2 h."""
    return int(min(30 * 4 ** max(attempts - 1, 0), 7200))


def _context(notification: Notification) -> dict[str, Any]:
    return {
        **notification.context,
        "to_name": notification.to_name,
        "SITE_NAME": settings.SITE_NAME,
        "UTILITY_NAME": settings.UTILITY_NAME,
        "SITE_URL": settings.SITE_URL,
    }


def subject(notification: Notification) -> str:
    """The message's subject line in its language, for lists of sent messages."""
    with translation.override(notification.language):
        text = render_to_string(f"notifications/{notification.template}/subject.txt", _context(notification))
    return " ".join(text.split())


def render(notification: Notification) -> RenderedMessage:
    folder = f"notifications/{notification.template}"
    context = _context(notification)
    with translation.override(notification.language):
        if notification.channel == Channel.EMAIL:
            text: str = render_to_string(f"{folder}/body.txt", context)
            html: str
            try:
                html = render_to_string(f"{folder}/body.html", context)
            except TemplateDoesNotExist:
                html = ""
            attachments = [_attachment_renderers[a["renderer"]](**a["params"]) for a in notification.attachments]
            return RenderedMessage(subject(notification), text, html, attachments)
        text = render_to_string(f"{folder}/short.txt", context).strip()
        return RenderedMessage(subject(notification), text)


def deliver(notification_id: int) -> None:
    """Send one queued message once. Raises RetryLater on a transient failure (network, SMTP, provider).

    The conditional UPDATE is the claim: of two workers given the same row, one updates it and the other
    finds it no longer queued and returns.
    """
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, status=Status.QUEUED).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return
    notification = Notification.objects.get(pk=notification_id)
    try:
        message = render(notification)
        if notification.channel == Channel.EMAIL:
            send_email(notification.to_name, notification.to_address, message)
        else:
            text_backend(notification.channel).send(notification.to_address, message.text)
    except OSError as exc:  # network and SMTP errors (smtplib.SMTPException is an OSError)
        _record_failure(notification, exc, transient=True)
        return
    except Exception as exc:
        _record_failure(notification, exc, transient=False)
        raise
    Notification.objects.filter(pk=notification_id).update(status=Status.SENT, sent_at=timezone.now(), last_error="")


def _record_failure(notification: Notification, exc: Exception, *, transient: bool) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if transient and notification.attempts < settings.OUTBOX_MAX_ATTEMPTS:
        countdown = backoff_seconds(notification.attempts)
        Notification.objects.filter(pk=notification.pk).update(
            status=Status.QUEUED, last_error=error, next_attempt_at=timezone.now() + timedelta(seconds=countdown)
        )
        logger.warning(
            "notification %s: attempt %s failed, retrying: %s", notification.pk, notification.attempts, error
        )
        raise RetryLater(countdown) from exc
    Notification.objects.filter(pk=notification.pk).update(status=Status.FAILED, last_error=error)
    logger.error("notification %s failed for good after %s attempts: %s", notification.pk, notification.attempts, error)


def sweep() -> int:
    """Re-enqueue messages whose task was lost; returns how many. Run periodically by Celery beat."""
    stuck = timezone.now() - timedelta(minutes=settings.OUTBOX_STUCK_MINUTES)
    # A worker that died mid-send leaves its row in `sending`; give it back to the queue.
    died = list(
        Notification.objects.filter(status=Status.SENDING, claimed_at__lt=stuck).values_list("pk", flat=True)[:5000]
    )
    Notification.objects.filter(pk__in=died, status=Status.SENDING).update(status=Status.QUEUED)
    lost = Notification.objects.filter(status=Status.QUEUED, next_attempt_at__lt=stuck).exclude(pk__in=died)
    pks = died + list(lost.values_list("pk", flat=True)[:5000])
    from accounts.tasks import send_notification

    for pk in pks:
        send_notification.delay(pk)
    return len(pks)
