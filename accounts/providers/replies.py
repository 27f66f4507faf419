"""What providers tell us after a send: delivery statuses on the `Notification`, and people's replies
(stored; STOP or BERHENTI opts the number out of that channel)."""

import hashlib
import hmac
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q, Value
from django.utils import timezone

from accounts.models import InboundMessage, Notification, UnreachableAddress

DeliveryStatus = Notification.DeliveryStatus
OPT_OUT_WORDS = {"STOP", "BERHENTI"}
# Statuses only move forward: a late "delivered" must not overwrite "read" (webhooks arrive in any order).
_RANK = {"": 0, DeliveryStatus.SENT: 1, DeliveryStatus.DELIVERED: 2, DeliveryStatus.READ: 3, DeliveryStatus.FAILED: 4}


def signature_valid(body: bytes, header: str, secret: str) -> bool:
    """`X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the raw body with the app secret."""
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


def record_status(
    channel: str, provider_id: str, status: str, at: datetime, error: str = "", *, unreachable: bool = False
) -> bool:
    """Record the provider's status for the message it knows as `provider_id`; True when a row changed.

    `unreachable`: the failure is about the address itself (a hard bounce, a number without WhatsApp), which is
    then skipped on this channel from now on.
    """
    lower = [value for value, rank in _RANK.items() if rank < _RANK[status]]
    with transaction.atomic():
        rows = Notification.objects.select_for_update().filter(
            channel=channel, provider_id=provider_id, delivery_status__in=lower
        )
        notification = rows.first()
        if notification is None:
            return False
        rows.filter(pk=notification.pk).update(
            delivery_status=status, delivery_error=error[:2000], delivery_updated_at=at
        )
        if status == DeliveryStatus.FAILED and unreachable:
            mark_unreachable(channel, notification.to_address, error, notification)
    return True


def mark_unreachable(channel: str, address: str, reason: str, notification: Notification | None = None) -> None:
    UnreachableAddress.objects.update_or_create(
        channel=channel,
        address=address,
        defaults={"reason": reason[:2000], "notification": notification, "since": timezone.now()},
    )


def record_inbound(channel: str, from_address: str, text: str, provider_id: str, at: datetime) -> bool:
    """Store a person's message once (providers resend webhooks); STOP/BERHENTI opts them out of the channel.
    Returns whether it was new."""
    with transaction.atomic():
        _, created = InboundMessage.objects.get_or_create(
            provider_id=provider_id,
            defaults={"channel": channel, "from_address": from_address, "text": text[:4000], "received_at": at},
        )
        if created and text.strip().upper().rstrip(".!") in OPT_OUT_WORDS:
            mark_unreachable(channel, from_address, f"opted out: replied {text.strip()[:20]}")
    return created


def contact_trouble(
    emails: list[str], phones: list[str], limit: int = 24
) -> tuple[list[UnreachableAddress], list[InboundMessage]]:
    """For the staff account page, in one query: the person's addresses a channel cannot reach and why (latest
    first), and the latest `limit` messages their numbers sent us (newest first)."""
    phones = [phone for phone in phones if phone]
    unreachable = UnreachableAddress.objects.filter(
        Q(channel=Notification.Channel.EMAIL, address__in=[email for email in emails if email])
        | Q(channel__in=[Notification.Channel.SMS, Notification.Channel.WHATSAPP], address__in=phones)
    ).values(
        unreachable=Value(True), ident=F("pk"), ch=F("channel"), addr=F("address"), words=F("reason"), at=F("since")
    )
    inbound = (
        InboundMessage.objects.filter(from_address__in=phones)
        .order_by("-received_at")
        .values(
            unreachable=Value(False),
            ident=F("pk"),
            ch=F("channel"),
            addr=F("from_address"),
            words=F("text"),
            at=F("received_at"),
        )[:limit]
    )
    rows = sorted(unreachable.union(inbound, all=True), key=lambda row: row["at"], reverse=True)
    return (
        [
            UnreachableAddress(
                pk=row["ident"], channel=row["ch"], address=row["addr"], reason=row["words"], since=row["at"]
            )
            for row in rows
            if row["unreachable"]
        ],
        [
            InboundMessage(
                pk=row["ident"], channel=row["ch"], from_address=row["addr"], text=row["words"], received_at=row["at"]
            )
            for row in rows
            if not row["unreachable"]
        ],
    )
