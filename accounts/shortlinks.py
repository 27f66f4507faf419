"""Short signed links of our own (`/r/<token>`) for text messages, where every character counts.

A token names an outbox row and which link of its context it stands for, with a truncated HMAC so nobody can
walk other people's links: `/r/` plus about a dozen characters instead of a 60-character signed receipt URL.
Opening it redirects to the link the long message (e-mail) carries, which keeps its own checks.
"""

import string
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import Notification

_SALT = "tirta.shortlinks"
_DIGITS = string.digits + string.ascii_letters
_MAC_LENGTH = 8  # 8 base-62 characters: about 47 bits, far beyond guessing through a rate-limited redirect


def _base62(number: int) -> str:
    text = ""
    while True:
        number, digit = divmod(number, 62)
        text = _DIGITS[digit] + text
        if not number:
            return text


def _mac(value: str) -> str:
    return _base62(int.from_bytes(salted_hmac(_SALT, value).digest()[:8], "big")).rjust(_MAC_LENGTH, "0")[:_MAC_LENGTH]


def url_keys(context: dict[str, Any]) -> list[str]:
    """The context entries that are links, in a stable order (a token names one by its place)."""
    return sorted(key for key, value in context.items() if key.endswith("_url") and isinstance(value, str) and value)


def token(notification_id: int, index: int) -> str:
    value = f"{_base62(notification_id)}{_DIGITS[index]}"
    return value + _mac(value)


def shortened(notification: Notification) -> dict[str, Any]:
    """The row's context with every link replaced by its short link (absolute if the original was)."""
    context = dict(notification.context)
    for index, key in enumerate(url_keys(context)[: len(_DIGITS)]):
        path = reverse("shortlink", args=[token(notification.pk, index)])
        context[key] = settings.SITE_URL + path if context[key].startswith(("http://", "https://")) else path
    return context


def target(value: str) -> str | None:
    """Where a token leads (an absolute URL), or None for a forged, mistyped or expired one."""
    head, mac = value[:-_MAC_LENGTH], value[-_MAC_LENGTH:]
    if len(head) < 2 or not constant_time_compare(mac, _mac(head)):
        return None
    try:
        notification_id = sum(_DIGITS.index(c) * 62**i for i, c in enumerate(reversed(head[:-1])))
        index = _DIGITS.index(head[-1])
    except ValueError:
        return None
    notification = Notification.objects.filter(pk=notification_id).only("context").first()
    keys = url_keys(notification.context) if notification else []
    if notification is None or index >= len(keys):
        return None
    url: str = notification.context[keys[index]]
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url
