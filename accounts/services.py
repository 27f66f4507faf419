"""Rules about customers and their connections: registering, and linking a connection to a portal user."""

from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from accounts import second_factor
from accounts.models import ConnectionLink, LinkAttempt, ServiceConnection, User
from accounts.text import ascii_digits, fold

ModelT = TypeVar("ModelT", bound=Model)
LinkVerifier = Callable[[ServiceConnection, str], bool]
_link_verifiers: list[LinkVerifier] = []


def register_link_verifier(verifier: LinkVerifier) -> LinkVerifier:
    """Add a second fact that proves a person holds a connection (billing adds the latest bill's amount)."""
    if verifier not in _link_verifiers:
        _link_verifiers.append(verifier)
    return verifier


def _squash(text: str) -> str:
    return "".join(ch for ch in fold(text).upper() if ch.isalnum())


@register_link_verifier
def meter_number_matches(connection: ServiceConnection, answer: str) -> bool:
    """The serial number printed on the meter, ignoring spaces, dashes and case."""
    return bool(answer) and _squash(answer) == _squash(connection.meter_number)


class LinkError(Exception):
    pass


class LinkRefused(LinkError):
    """The number and the answer do not match; deliberately silent about which one was wrong."""


class LinkLocked(LinkError):
    def __init__(self, minutes: int) -> None:
        super().__init__(minutes)
        self.minutes = minutes


def normalise_account_number(raw: str) -> str:
    return ascii_digits(raw)


def link_lock_minutes(user: User, account_number: str) -> int:
    """Minutes until this user may try this number again; 0 when not locked.

    Failures count per typed number (whoever tries it) and per user (whatever number they try), so neither a
    guesser nor an enumerator gets more than a handful of tries a window.
    """
    window = timedelta(minutes=settings.LINK_LOCKOUT_MINUTES)
    since = timezone.now() - window
    failures = LinkAttempt.objects.filter(created_at__gte=since, succeeded=False)
    by_number = list(
        failures.filter(account_number=account_number).order_by("-created_at").values_list("created_at", flat=True)
    )
    by_user = list(failures.filter(user=user).order_by("-created_at").values_list("created_at", flat=True))
    limit = settings.LINK_FAILURE_LIMIT
    blocking = []
    if len(by_number) >= limit:
        blocking.append(by_number[limit - 1])
    if len(by_user) >= 2 * limit:
        blocking.append(by_user[2 * limit - 1])
    if not blocking:
        return 0
    unlock_at = max(blocking) + window
    return max(1, int((unlock_at - timezone.now()).total_seconds() // 60) + 1)


def holder_connection(account_number: str, answer: str) -> ServiceConnection | None:
    """The open connection with this account number when `answer` proves its holder (any registered verifier: the
    meter number, the latest bill's amount); None otherwise, without saying which of the two was wrong. Callers
    count the failures against guessing (linking: LinkAttempt; the signed-out self reading: a rate limit)."""
    number = normalise_account_number(account_number)
    if not number:
        return None
    connection = (
        ServiceConnection.objects.exclude(status=ServiceConnection.Status.CLOSED).filter(account_number=number).first()
    )
    if connection is None or not any(verify(connection, answer.strip()) for verify in _link_verifiers):
        return None
    return connection


def link_connection(user: User, account_number: str, answer: str) -> ServiceConnection:
    """Link the connection to `user` if `answer` proves they hold it; raise LinkRefused or LinkLocked."""
    number = normalise_account_number(account_number)
    minutes = link_lock_minutes(user, number)
    if minutes:
        raise LinkLocked(minutes)
    connection = holder_connection(number, answer)
    with transaction.atomic():
        LinkAttempt.objects.create(
            account_number=number or account_number[:32], user=user, succeeded=connection is not None
        )
        if connection is not None:
            ConnectionLink.objects.get_or_create(user=user, connection=connection)
    if connection is None:
        raise LinkRefused
    return connection


def unlink_connection(user: User, connection_id: int) -> None:
    ConnectionLink.objects.filter(user=user, connection_id=connection_id).delete()


def connections_of(user: User) -> QuerySet[ServiceConnection]:
    """The connections a customer may see; every customer-facing lookup goes through this."""
    return ServiceConnection.objects.filter(links__user=user).select_related("area", "customer_class", "customer")


def visible_to(
    user: User, queryset: QuerySet[ModelT], *, perm: str, connection_path: str = "connection"
) -> QuerySet[ModelT]:
    """The rows of `queryset` that `user` may open: all of them for staff holding `perm`, those of their own
    connections for customers, none otherwise. Views turn "none" into a 404, so nobody learns what exists."""
    if user.is_staff:
        # Staff open customers' bills and receipts through the customer pages too: same second factor rule.
        return queryset if user.has_perm(perm) and second_factor.satisfied(user) else queryset.none()
    return queryset.filter(**{f"{connection_path}__in": connections_of(user).values("pk")})
