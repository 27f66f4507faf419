"""The client's network address: one answer for rate limits, the sign-in lockout and the audit log.

Behind `PROXY_COUNT` reverse proxies, REMOTE_ADDR is the nearest proxy's address; keying on it would put the
whole city in one bucket. Each proxy appends the address it saw to X-Forwarded-For, so the client is the
`PROXY_COUNT`-th hop from the right. Hops further left were written by the client and are never trusted.
"""

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

UNKNOWN = "0.0.0.0"  # noqa: S104 - not a bind address: the key for a request whose address cannot be read
_current: ContextVar[str | None] = ContextVar("client_address", default=None)


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The address of the person behind `request`, honouring PROXY_COUNT; always a valid IP address."""
    remote = _valid(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.PROXY_COUNT
    forwarded = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if proxies and forwarded:
        # Fewer hops than proxies: the nearest proxy saw the client directly and wrote the left-most hop.
        return _valid(forwarded[-min(proxies, len(forwarded))]) or remote or UNKNOWN
    return remote or UNKNOWN


def current_client_address() -> str | None:
    """The client address of the request being served, for records written deep in services; None outside one."""
    return _current.get()


class ClientAddressMiddleware:
    """Makes the client address of each request available to services (the audit log) without passing it down."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
