"""The notification outbox: every message to a person is first a `Notification` row.

`notify()` writes the rows inside the caller's transaction, so a message exists exactly when the event that
caused it was committed. After commit a Celery task delivers each row (`accounts.delivery`): it claims the
row with a conditional UPDATE, so duplicated tasks send nothing twice, and a sweeper re-enqueues rows whose
task was lost (broker down at commit time, worker killed mid-send).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts import email_layout, gsm7, shortlinks
from accounts.channels import RenderedMessage
from accounts.models import Customer, Notification, User

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
    """Who a message goes to and on which channels.

    `held_until`: channels whose message must wait (quiet hours) and until when. `context`: what this person's
    copy adds to the message's context (the opt-out link of a customer of record).
    """

    name: str
    email: str = ""
    phone: str = ""
    channels: tuple[str, ...] = (Channel.EMAIL,)
    language: str = settings.LANGUAGE_CODE
    user: User | None = None
    customer: Customer | None = None
    held_until: dict[str, datetime] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def for_user(cls, user: User) -> "Recipient":
        channels = []
        if user.notify_email and user.email:
            channels.append(Channel.EMAIL)
        if user.notify_sms and user.phone:
            channels.append(Channel.SMS)
        if user.notify_whatsapp and user.phone and user.whatsapp_opt_in_at:
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


Attachments = Sequence[Attachment] | Callable[[str], Sequence[Attachment]]


def _rows(
    recipient: Recipient, template: str, context: dict[str, Any], dedupe_key: str, attachments: Attachments
) -> list[Notification]:
    """One row per channel of the recipient; `attachments` may be a function of the channel (a file only
    where the channel needs it)."""
    now = timezone.now()
    files = attachments if callable(attachments) else lambda channel: attachments
    return [
        Notification(
            user=recipient.user,
            customer=recipient.customer,
            to_name=recipient.name,
            to_address=recipient.address(channel),
            channel=channel,
            template=template,
            context={**context, **recipient.context} if recipient.context else context,
            attachments=[{"renderer": a.renderer, "params": a.params} for a in files(channel)],
            language=recipient.language,
            dedupe_key=f"{dedupe_key}:{channel}",
            next_attempt_at=recipient.held_until.get(channel, now),
            # A held message has no task waiting: the sweeper publishes it once it is due.
            enqueued_at=None if channel in recipient.held_until else now,
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
    _enqueue_on_commit([row.pk for row in created if row.enqueued_at is not None])
    return created


def notify_many(
    recipients: Iterable[tuple[Recipient, str] | tuple[Recipient, str, dict[str, Any]]],
    template: str,
    context: dict[str, Any],
    batch_size: int = 1000,
    attachments: Callable[[str, dict[str, Any]], Sequence[Attachment]] | None = None,
) -> int:
    """Queue one message to each (recipient, dedupe_key) in batches, for notices to whole areas.

    An item may carry a third element, a dict merged over `context` for that recipient alone (a reminder
    naming each person's own bill). `attachments(channel, item_context)` gives the files of one row (the
    e-bill's PDF only on WhatsApp); they are rendered by the worker at send time, never here. Returns the
    number of rows inserted; rows whose dedupe key exists already are left alone.
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
                Notification.objects.filter(
                    dedupe_key__in=keys, status=Status.QUEUED, enqueued_at__isnull=False
                ).values_list("pk", flat=True)
            )
            inserted += len(keys) - before
            _enqueue_on_commit(pks)
        batch.clear()

    for recipient, dedupe_key, *own in recipients:
        item = {**context, **own[0]} if own else context
        files: Attachments = () if attachments is None else partial(_files_of_item, attachments, item)
        batch.extend(_rows(recipient, template, item, dedupe_key, files))
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return inserted


def _files_of_item(
    attachments: Callable[[str, dict[str, Any]], Sequence[Attachment]], item: dict[str, Any], channel: str
) -> Sequence[Attachment]:
    return attachments(channel, item)


def _enqueue_on_commit(pks: list[int]) -> None:
    if not pks:
        return
    from accounts.delivery import enqueue

    # robust: a broker outage must not undo or break the request that caused the message; sweep() catches up.
    transaction.on_commit(lambda: enqueue(pks), robust=True)


def _context(notification: Notification) -> dict[str, Any]:
    sms = notification.channel == Channel.SMS
    # An SMS must fit 160 characters: it carries short links of our own (a signed receipt URL alone would fill
    # half of it) and names the utility by its sender ID, which the phone already shows above it.
    return {
        **(shortlinks.shortened(notification) if sms else notification.context),
        "to_name": notification.to_name,
        "SITE_NAME": settings.SITE_NAME,
        "UTILITY_NAME": settings.SMS_SENDER if sms else settings.UTILITY_NAME,
        "SITE_URL": settings.SITE_URL,
    }


def subject(notification: Notification, context: dict[str, Any] | None = None) -> str:
    """The message's subject line in its language, for lists of sent messages (`context`: its rendering
    context when the caller has it already)."""
    with translation.override(notification.language):
        template = f"notifications/{notification.template}/subject.txt"
        text = render_to_string(template, context or _context(notification))
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
            title = subject(notification, context)
            unsubscribe = email_layout.unsubscribe_url(notification)
            text, html = email_layout.wrap(title, text, html, unsubscribe)
            headers = email_layout.headers(unsubscribe)
            return RenderedMessage(title, text, html, _attachments(notification), headers)
        text = render_to_string(f"{folder}/short.txt", context).strip()
        if notification.channel == Channel.SMS:
            text = gsm7.fit(text)
        # WhatsApp carries the PDF itself (a document message); an SMS only its link.
        files = _attachments(notification) if notification.channel == Channel.WHATSAPP else []
        return RenderedMessage(subject(notification, context), text, attachments=files)


def _attachments(notification: Notification) -> list[tuple[str, bytes, str]]:
    return [_attachment_renderers[a["renderer"]](**a["params"]) for a in notification.attachments]
