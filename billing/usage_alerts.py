"""Usage alerts a customer asks for per connection: a reading that reaches a dearer price block, or one far above
their usual usage (a possible leak). The check runs whenever a meter reading is stored, whatever its source (the
readings upload, a customer's self reading, an estimate), through the `post_save` hook at the bottom."""

from typing import Any

from django.db.models import Prefetch, Q
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import ConnectionLink, ServiceConnection, User
from accounts.outbox import notify
from accounts.recipients import Kind, absolute_url, dedupe_key, recipients
from billing.models import MeterReading
from billing.nextblock import block_at, blocks_in_force
from billing.periods import add_months
from billing.readings import HIGH_USAGE_KEY, is_high_usage


def set_alerts(user: User, connection: ServiceConnection, *, block: bool, leak: bool) -> None:
    """Store which usage alerts `user` wants for a connection they have linked (nothing for anyone else's)."""
    ConnectionLink.objects.filter(user=user, connection=connection).update(alert_block=block, alert_leak=leak)


def alerts_of(user: User, connection: ServiceConnection) -> dict[str, bool]:
    """{"block": …, "leak": …}: the usage alerts `user` asked for on the connection."""
    link = ConnectionLink.objects.filter(user=user, connection=connection).values_list("alert_block", "alert_leak")
    block, leak = link.first() or (False, False)
    return {"block": block, "leak": leak}


def _usual(reading: MeterReading) -> float | None:
    """Average usage of the three months before the reading's, like the upload's high-usage rule."""
    usages = [
        usage
        for usage in MeterReading.objects.filter(
            connection_id=reading.connection_id,
            period__gte=add_months(reading.period, -3),
            period__lt=reading.period,
            usage__isnull=False,
        ).values_list("usage", flat=True)
        if usage is not None
    ]
    return sum(usages) / len(usages) if usages else None


def alert_on_reading(reading: MeterReading) -> int:
    """Tell those who asked when this reading's usage reaches a dearer block or trips the high-usage rule; each
    occasion once per person (a corrected reading reaching a further block is a new occasion). Returns the messages
    queued. One query when nobody on the connection asked for alerts."""
    if reading.usage is None or reading.flagged:
        return 0
    asked = Q(alert_block=True) | Q(alert_leak=True)
    if not ConnectionLink.objects.filter(asked, connection_id=reading.connection_id, user__is_active=True).exists():
        return 0
    links = ConnectionLink.objects.filter(asked).select_related("user")
    connection = ServiceConnection.objects.prefetch_related(Prefetch("links", queryset=links)).get(
        pk=reading.connection_id
    )
    context: dict[str, Any] = {
        "account_number": connection.account_number,
        "period": reading.period.isoformat(),
        "usage": reading.usage,
        "site_url": absolute_url("billing:connection", connection.account_number),
    }
    sent = 0
    blocks = blocks_in_force({connection.customer_class_id}, reading.period).get(connection.customer_class_id, ())
    index = block_at(blocks, reading.usage)
    if index and blocks[index].price_per_m3 > blocks[0].price_per_m3:
        block = blocks[index]
        block_context = context | {"from_m3": block.from_m3 + 1, "price": block.price_per_m3}
        for recipient in recipients(connection, Kind.BLOCK_ALERTS):
            key = dedupe_key(
                "billing:block", connection.pk, f"{reading.period:%Y-%m}", block.from_m3, recipient=recipient
            )
            sent += len(notify(recipient, "billing/block_reached", block_context, key))
    if is_high_usage(reading.usage, _usual(reading)):
        for recipient in recipients(connection, Kind.LEAK_ALERTS):
            # The same key as the upload's warning to everyone: whoever got that one is not told twice.
            key = dedupe_key(HIGH_USAGE_KEY, connection.pk, f"{reading.period:%Y-%m}", recipient=recipient)
            sent += len(notify(recipient, "billing/high_usage", context, key))
    return sent


@receiver(post_save, sender=MeterReading, dispatch_uid="billing.usage_alerts")
def _reading_stored(sender: type[MeterReading], instance: MeterReading, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # fixtures being loaded are history, not news
        alert_on_reading(instance)
