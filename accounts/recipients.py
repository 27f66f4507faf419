"""Who hears about what: the one place that decides the recipients of a message, on which channels and when,
and how its dedupe key and links are built.

One function per subject: `recipients(connection, kind)` for anything about a service connection (bills,
receipts, usage, outages), `complaints.services.messages.reporter_recipient` for a ticket's reporter. Callers
name the kind of message; the person's choices for that kind, their WhatsApp consent and the quiet hours are
applied here.
"""

from dataclasses import replace
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer, Notification, ServiceConnection, User
from accounts.outbox import Recipient

Channel = Notification.Channel
TEXT_CHANNELS = (Channel.SMS, Channel.WHATSAPP)
_OPT_OUT_SALT = "accounts.recipients.opt-out"


class Kind(StrEnum):
    """The kinds of message a person chooses channels for."""

    BILLS = "bills"
    RECEIPTS = "receipts"
    COMPLAINTS = "complaints"
    OUTAGES = "outages"
    BLOCK_ALERTS = "block_alerts"
    LEAK_ALERTS = "leak_alerts"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS = {
    Kind.BILLS: _("Bills and reminders"),
    Kind.RECEIPTS: _("Receipts"),
    Kind.COMPLAINTS: _("Complaint updates"),
    Kind.OUTAGES: _("Outage notices"),
    Kind.BLOCK_ALERTS: _("A higher price block reached"),
    Kind.LEAK_ALERTS: _("Unusually high usage (a possible leak)"),
}

# Kinds a person asks for on a connection link: only those who asked hear, never the customer of record.
OPT_IN = {Kind.BLOCK_ALERTS: "alert_block", Kind.LEAK_ALERTS: "alert_leak"}
# Kinds a person picks channels for on their profile (the opt-in alerts follow their usual channels).
CHOOSABLE_KINDS = tuple(kind for kind in Kind if kind not in OPT_IN)

# Kinds that may wake people: a supply interruption matters at any hour.
URGENT_KINDS = frozenset({Kind.OUTAGES})


def recipients(connection: ServiceConnection, kind: Kind) -> list[Recipient]:
    """The active portal users linked to the connection, each on the channels they chose for this kind; without
    any, the customer of record on the contact details the utility holds, unless they opted out; nobody when
    there is no address at all. WhatsApp and SMS wait for the end of the quiet hours except for urgent kinds.

    Reads `connection.links` (prefetch it with the users when calling for many connections) and the customer.
    The opt-in kinds (usage alerts) go only to the linked users who asked for them on that connection.
    """
    if kind in OPT_IN:
        wanted = OPT_IN[kind]
        links = connection.links.all()
        return [Recipient.for_user(link.user) for link in links if link.user.is_active and getattr(link, wanted)]
    users = [link.user for link in connection.links.all() if link.user.is_active]
    if users:
        found = [for_user(user, kind) for user in users]
    else:
        holder = for_customer(connection.customer)
        found = [holder] if holder is not None else []
    return [held_for_quiet_hours(recipient, kind) for recipient in found]


def chosen_channels(user: User, kind: Kind) -> list[str]:
    """The channels the person ticked for this kind; a kind never set follows their general choices."""
    chosen = user.channel_preferences.get(str(kind))
    if isinstance(chosen, list):
        return [channel for channel in Channel.values if channel in chosen]
    flags = (
        (Channel.EMAIL, user.notify_email),
        (Channel.SMS, user.notify_sms),
        (Channel.WHATSAPP, user.notify_whatsapp),
    )
    return [channel for channel, on in flags if on]


def for_user(user: User, kind: Kind) -> Recipient:
    """A portal user on the channels chosen for `kind` that can reach them: WhatsApp only with a recorded
    consent, text channels only with a number; e-mail when none is left, so that nothing is silently lost."""
    channels = [
        channel
        for channel in chosen_channels(user, kind)
        if (user.email if channel == Channel.EMAIL else user.phone)
        and (channel != Channel.WHATSAPP or user.whatsapp_opt_in_at is not None)
    ]
    if not channels and user.email:
        channels = [Channel.EMAIL]
    return replace(Recipient.for_user(user), channels=tuple(channels))


def for_customer(customer: Customer) -> Recipient | None:
    """A customer of record without a portal account, on every contact held, with the link that stops it all;
    None when they opted out or nothing is held."""
    if customer.messages_opted_out_at is not None:
        return None
    holder = Recipient.for_customer(customer)
    if not holder.channels:
        return None
    return replace(holder, context={"opt_out_url": absolute_url("accounts:opt-out", opt_out_token(customer))})


def held_for_quiet_hours(recipient: Recipient, kind: Kind, now: datetime | None = None) -> Recipient:
    """The recipient with their WhatsApp and SMS held until the quiet hours end, when it is quiet now."""
    if kind in URGENT_KINDS:
        return recipient
    until = quiet_hours_end(now or timezone.now())
    if until is None:
        return recipient
    held = {channel: until for channel in recipient.channels if channel in TEXT_CHANNELS}
    return replace(recipient, held_until=held) if held else recipient


def quiet_hours_end(now: datetime) -> datetime | None:
    """When the quiet hours around `now` end (NOTIFY_QUIET_HOURS_START/END, local time), None outside them."""
    start, end = _parse_time(settings.NOTIFY_QUIET_HOURS_START), _parse_time(settings.NOTIFY_QUIET_HOURS_END)
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    clock = local.time()
    if start == end:
        return None
    overnight = start > end
    quiet = (clock >= start or clock < end) if overnight else start <= clock < end
    if not quiet:
        return None
    day = local.date() + timedelta(days=1) if overnight and clock >= start else local.date()
    return datetime.combine(day, end, tzinfo=local.tzinfo)


def _parse_time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def opt_out_token(customer: Customer) -> str:
    """The signed token of a customer's opt-out link; it does not expire (old messages keep working)."""
    return signing.dumps(customer.pk, salt=_OPT_OUT_SALT)


def customer_for_opt_out(token: str) -> Customer | None:
    """The customer a genuine opt-out token names, None for a forged or mangled one."""
    try:
        pk = signing.loads(token, salt=_OPT_OUT_SALT)
    except signing.BadSignature:
        return None
    return Customer.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def opt_out(customer: Customer) -> None:
    """Stop all messages to a customer of record (idempotent: the first time is kept)."""
    Customer.objects.filter(pk=customer.pk, messages_opted_out_at__isnull=True).update(
        messages_opted_out_at=timezone.now()
    )


def dedupe_key(*parts: object, recipient: Recipient | User | None = None) -> str:
    """`billing:due:42:u7`: the parts naming the occasion, then who it is for (a portal user `u…`, a customer of
    record `c…`), so that the same occasion reaches each person once however often it is queued.

    Every message's key is built here; the outbox adds the channel."""
    key = ":".join(str(part) for part in parts)
    if isinstance(recipient, User):
        return f"{key}:u{recipient.pk}"
    if recipient is None:
        return key
    if recipient.user is not None:
        return f"{key}:u{recipient.user.pk}"
    if recipient.customer is not None:
        return f"{key}:c{recipient.customer.pk}"
    return key


def absolute_url(viewname: str, *args: object) -> str:
    """A link for a message read outside the site (e-mail, SMS): SITE_URL and the page's reversed path."""
    return settings.SITE_URL + reverse(viewname, args=args)
