"""One layout for every e-mail: an HTML part and a text part around the message's own body, with the utility's name
and colours, readable on a phone, no remote images; and one-click unsubscribe (RFC 8058) for everything that is
not a receipt or a security message."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import linebreaks, urlize

from accounts.models import Notification, UnreachableAddress

# Receipts are records of money and the rest are about the account's security: nobody may switch them off.
ESSENTIAL = frozenset(
    {
        "billing/receipt",
        "accounts/password_reset",
        "accounts/registration_activate",
        "accounts/registration_attempt",
        "accounts/account_closed",
    }
)
UNSUBSCRIBED = "unsubscribed by the recipient"
_SALT = "tirta.unsubscribe"


def unsubscribe_token(notification: Notification) -> str:
    return signing.dumps(notification.pk, salt=_SALT, compress=True)


def unsubscribe_url(notification: Notification) -> str | None:
    if notification.template in ESSENTIAL:
        return None
    return settings.SITE_URL + reverse("accounts:unsubscribe", args=[unsubscribe_token(notification)])


def headers(url: str | None) -> dict[str, str]:
    """The one-click unsubscribe headers for the message's `unsubscribe_url` (none for an essential message)."""
    if url is None:
        return {}
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def wrap(subject: str, text: str, html: str, url: str | None) -> tuple[str, str]:
    """The text and HTML parts in the layout; a message without its own HTML body gets its text as HTML.
    `url`: the message's `unsubscribe_url`, signed once by the caller for the body and the header."""
    context = {
        "subject": subject,
        "text": text.strip(),
        "body_html": html or urlize(linebreaks(text.strip())),
        "unsubscribe_url": url,
        "UTILITY_NAME": settings.UTILITY_NAME,
        "SITE_URL": settings.SITE_URL,
        "colour": settings.EMAIL_BRAND_COLOUR,
    }
    return (
        render_to_string("notifications/layout/email.txt", context),
        render_to_string("notifications/layout/email.html", context),
    )


def notification_for(token: str) -> Notification | None:
    try:
        pk = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return Notification.objects.select_related("user").filter(pk=pk, channel=Notification.Channel.EMAIL).first()


def unsubscribe(notification: Notification) -> None:
    """Stop e-mails to the address of this message, except receipts and security messages: a portal user's
    e-mail choice is switched off, anyone else's address is marked unsubscribed."""
    with transaction.atomic():
        user = notification.user
        if user is not None and user.email.lower() == notification.to_address.lower():
            user.notify_email = False
            user.save(update_fields=["notify_email"])
            return
        UnreachableAddress.objects.update_or_create(
            channel=Notification.Channel.EMAIL,
            address=notification.to_address,
            defaults={"reason": UNSUBSCRIBED, "notification": notification},
        )
