"""Who hears about what: the one place that decides the recipients of a message and how its dedupe key and links
are built.

One function per subject: `recipients(connection, kind)` for anything about a service connection (bills,
receipts, usage, outages), `complaints.services.messages.reporter_recipient` for a ticket's reporter. Callers
name the kind of message so that per-kind channel preferences can be added here without rewriting them.
"""

from enum import StrEnum

from django.conf import settings
from django.urls import reverse

from accounts.models import ServiceConnection, User
from accounts.outbox import Recipient


class Kind(StrEnum):
    """The kinds of message a person may one day choose channels for."""

    BILLS = "bills"
    RECEIPTS = "receipts"
    COMPLAINTS = "complaints"
    OUTAGES = "outages"
    BLOCK_ALERTS = "block_alerts"
    LEAK_ALERTS = "leak_alerts"


# Kinds a person asks for on a connection link: only those who asked hear, never the customer of record.
OPT_IN = {Kind.BLOCK_ALERTS: "alert_block", Kind.LEAK_ALERTS: "alert_leak"}


def recipients(connection: ServiceConnection, kind: Kind) -> list[Recipient]:
    """The active portal users linked to the connection, each on the channels they chose; without any, the customer
    of record on the contact details the utility holds; nobody when there is no address at all.

    Reads `connection.links` (prefetch it with the users when calling for many connections) and the customer.
    The opt-in kinds (usage alerts) go only to the linked users who asked for them on that connection.
    """
    if kind in OPT_IN:
        wanted = OPT_IN[kind]
        links = connection.links.all()
        return [Recipient.for_user(link.user) for link in links if link.user.is_active and getattr(link, wanted)]
    users = [link.user for link in connection.links.all() if link.user.is_active]
    if users:
        return [Recipient.for_user(user) for user in users]
    holder = Recipient.for_customer(connection.customer)
    return [holder] if holder.channels else []


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
