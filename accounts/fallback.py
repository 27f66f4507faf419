"""Unreachable contacts: a message due on a channel where its address is marked unreachable (a hard bounce, a
number without WhatsApp, a STOP reply) is not sent there; it goes by the person's next channel instead."""

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.email_layout import ESSENTIAL, UNSUBSCRIBED
from accounts.models import Notification, UnreachableAddress

Channel = Notification.Channel
Status = Notification.Status


def unreachable_reason(notification: Notification, channel: str, address: str) -> str | None:
    """Why the address cannot be used for the message on the channel, or None when nothing is known against it.

    An unsubscribed address still gets receipts and security messages."""
    found = UnreachableAddress.objects.filter(channel=channel, address=address).values_list("reason", flat=True)
    if notification.template in ESSENTIAL:
        found = found.exclude(reason=UNSUBSCRIBED)
    reason = found.first()
    return None if reason is None else reason or "unreachable"


def unreachable_reasons(notifications: Sequence[Notification]) -> dict[int, str]:
    """`unreachable_reason` of many messages with one query: the reason of each message that cannot go to its
    own address, by id; messages free to go are left out."""
    if not notifications:
        return {}
    addresses = {row.to_address for row in notifications}
    known: dict[tuple[str, str], list[str]] = {}
    marks = UnreachableAddress.objects.filter(address__in=addresses).values_list("channel", "address", "reason")
    for channel, address, reason in marks:
        known.setdefault((channel, address), []).append(reason)
    found = {}
    for row in notifications:
        reasons = known.get((row.channel, row.to_address), [])
        if row.template in ESSENTIAL:
            reasons = [reason for reason in reasons if reason != UNSUBSCRIBED]
        if reasons:
            found[row.pk] = reasons[0] or "unreachable"
    return found


def _candidates(notification: Notification) -> list[tuple[str, str]]:
    """The person's other channels with their addresses, in order: the ones they chose, then e-mail.

    WhatsApp is never a fallback the person did not choose: it needs their opt-in.
    """
    user, customer = notification.user, notification.customer
    if user is not None:
        chosen = [
            (Channel.EMAIL, user.email if user.notify_email else ""),
            (Channel.SMS, (user.phone or "") if user.notify_sms else ""),
            (Channel.WHATSAPP, (user.phone or "") if user.notify_whatsapp else ""),
            (Channel.EMAIL, user.email),
        ]
    elif customer is not None:
        chosen = [(Channel.EMAIL, customer.email), (Channel.SMS, customer.phone)]
    else:
        chosen = []
    return [(channel, address) for channel, address in chosen if address and channel != notification.channel]


def reroute(notification: Notification, reason: str) -> Notification | None:
    """Fail the claimed row as skipped and queue the same message on the next reachable channel; returns the new
    row, or None when the person has no other reachable channel or already gets it there."""
    Notification.objects.filter(pk=notification.pk).update(
        status=Status.FAILED, last_error=f"skipped, {notification.get_channel_display()} unreachable: {reason}"[:2000]
    )
    base = notification.dedupe_key.removesuffix(f":{notification.channel}")
    for channel, address in _candidates(notification):
        if unreachable_reason(notification, channel, address) is not None:
            continue
        row = Notification(
            user=notification.user,
            customer=notification.customer,
            to_name=notification.to_name,
            to_address=address,
            channel=channel,
            template=notification.template,
            context=notification.context,
            attachments=notification.attachments,
            language=notification.language,
            dedupe_key=f"{base}:{channel}",
            created_at=timezone.now(),
        )
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            return None  # the person gets this message on that channel already
        return row
    return None
