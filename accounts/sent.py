"""What was sent: resending a message and the day's delivery figures by channel."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts import audit, outbox
from accounts.models import Notification, ServiceConnection, User

FAILURES_LISTED = 100


def messages_of(connection: ServiceConnection) -> Q:
    """The messages about a connection's people: its customer of record and its linked portal users."""
    return Q(customer_id=connection.customer_id) | Q(user__connection_links__connection=connection)


def resend(notification: Notification, connection: ServiceConnection, actor: User) -> Notification:
    """Queue a copy of a message to the same address on the same channel (audited on the connection).

    The copy has its own dedupe key, so a resend is never swallowed as a duplicate of the original."""
    recipient = outbox.Recipient(
        name=notification.to_name,
        email=notification.to_address if notification.channel == Notification.Channel.EMAIL else "",
        phone="" if notification.channel == Notification.Channel.EMAIL else notification.to_address,
        channels=(notification.channel,),
        language=notification.language,
        user=notification.user,
        customer=notification.customer,
    )
    attachments = [outbox.Attachment(a["renderer"], a["params"]) for a in notification.attachments]
    with transaction.atomic():
        (copy,) = outbox.notify(
            recipient,
            notification.template,
            notification.context,
            f"resend:{notification.pk}:{uuid4().hex}",
            attachments,
        )
        audit.record(
            actor,
            "notification.resend",
            copy,
            connection=connection,
            summary=f"{notification.template} again by {notification.get_channel_display()} (was #{notification.pk})",
        )
    return copy


@dataclass
class ChannelDay:
    """One channel's messages of a day, counted per status."""

    channel: str
    label: str
    counts: dict[str, int] = field(default_factory=dict)


def start_of_today() -> datetime:
    zone = ZoneInfo(settings.TIME_ZONE)
    return datetime.combine(timezone.now().astimezone(zone).date(), time(), tzinfo=zone)


def delivery_today() -> tuple[list[ChannelDay], list[Notification]]:
    """Today's (local day) messages per channel and status, and the latest failures of the day."""
    since = start_of_today()
    today = Notification.objects.filter(created_at__gte=since, created_at__lt=since + timedelta(days=1))
    days = {value: ChannelDay(value, str(label)) for value, label in Notification.Channel.choices}
    for row in today.values("channel", "status").annotate(n=Count("pk")).order_by():
        days[row["channel"]].counts[row["status"]] = row["n"]
    failures = list(today.filter(status=Notification.Status.FAILED).order_by("-created_at")[:FAILURES_LISTED])
    return list(days.values()), failures
