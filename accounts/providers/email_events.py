"""E-mail providers' tracking webhooks, through django-anymail (which checks each provider's signature or the
basic-auth ANYMAIL_WEBHOOK_SECRET and refuses the rest): delivery, opens, bounces recorded on the Notification."""

from typing import Any

from anymail.signals import AnymailTrackingEvent, EventType, RejectReason, tracking
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import Notification
from accounts.providers import replies

DeliveryStatus = Notification.DeliveryStatus
_STATUS = {
    EventType.SENT: DeliveryStatus.SENT,
    EventType.DELIVERED: DeliveryStatus.DELIVERED,
    EventType.OPENED: DeliveryStatus.READ,
    EventType.CLICKED: DeliveryStatus.READ,
    EventType.BOUNCED: DeliveryStatus.FAILED,
    EventType.REJECTED: DeliveryStatus.FAILED,
    EventType.FAILED: DeliveryStatus.FAILED,
}
# A hard bounce or an invalid address: the mailbox cannot take mail at all, so the address is marked unreachable.
_ABOUT_THE_ADDRESS = {RejectReason.BOUNCED, RejectReason.INVALID}


@receiver(tracking, dispatch_uid="accounts.email_tracking")
def record_tracking(sender: Any, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any) -> None:
    status = _STATUS.get(event.event_type)
    if status is None or not event.message_id:
        return
    error = ""
    if status == DeliveryStatus.FAILED:
        error = (
            f"{esp_name} {event.event_type} ({event.reject_reason}): {event.description or event.mta_response or ''}"
        )
    unreachable = event.event_type == EventType.BOUNCED and event.reject_reason in _ABOUT_THE_ADDRESS
    replies.record_status(
        Notification.Channel.EMAIL,
        str(event.message_id),
        status,
        event.timestamp or timezone.now(),
        error,
        unreachable=unreachable,
    )
