"""Rate limits of the account pages that send messages to an address someone types.

Counters live in the cache (django-ratelimit) and key on the client address of accounts.clients, so they
hold across web servers and behind the proxies of PROXY_COUNT.
"""

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited


def _limited(request: HttpRequest, group: str, key, rate: str) -> bool:
    return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)


def password_reset_client_limited(request: HttpRequest) -> bool:
    """One client asking for too many reset links, whoever they are for."""
    return _limited(request, "accounts.password-reset", "ip", settings.PASSWORD_RESET_RATE_PER_CLIENT)


def password_reset_target_limited(request: HttpRequest, email: str) -> bool:
    """Too many reset links asked for one address, from anywhere: its owner's inbox is not a target."""
    target = email.strip().lower()
    return _limited(
        request,
        "accounts.password-reset-target",
        lambda group, request: target,
        settings.PASSWORD_RESET_RATE_PER_ADDRESS,
    )


def registration_limited(request: HttpRequest) -> bool:
    """One client registering too often (each attempt sends a message to the address typed)."""
    return _limited(request, "accounts.register", "ip", settings.REGISTRATION_RATE_PER_CLIENT)
