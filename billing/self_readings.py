"""Customers' own meter readings: the reading window, what a stand would mean (usage and the bill it would make,
block by block), sending it with a photo, and billing staff's review.

An accepted stand is recorded through the readings service like a field reader's (usage, flags, the high-usage
warning, and through its post_save hook the usage alerts customers asked for), so the bill run bills it as an
actual reading. Nothing else writes a MeterReading from a self reading.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from accounts import audit
from accounts.models import Area, ServiceConnection, User
from accounts.outbox import notify
from accounts.recipients import Kind, absolute_url, dedupe_key, recipients
from accounts.services import holder_connection
from billing.models import Bill, MeterReading, SelfReading
from billing.periods import add_months
from billing.readings import ReadingInput, is_high_usage, record_readings, usage_between, usual_usage
from billing.tariffs import Line, compute_lines, tariffs_in_force, total_of

Status = SelfReading.Status
HISTORY_MONTHS = 6
PROOF_GROUP = "billing.self-reading-proof"


class SelfReadingRefused(Exception):
    """A stand that cannot be taken (window closed, period already read or billed, already reviewed…); the
    message says why, for the person who sent it."""


class NeedsCheck(SelfReadingRefused):
    """The stand is lower than the last one or far above usual: the customer must look at the photo again and
    confirm it."""


@dataclass(frozen=True)
class Assessment:
    """What a stand means for a connection and period: usage since the last reading and the bill it would make."""

    period: date
    reading: int
    previous: int | None
    usage: int | None
    lines: tuple[Line, ...]
    check_reason: str  # why the customer must confirm; empty when the stand looks ordinary

    @property
    def total(self) -> int | None:
        return total_of(self.lines) if self.lines else None


def window_period(today: date) -> date | None:
    """The period a stand sent on `today` counts for, or None outside the reading window.

    The window runs from SELF_READING_FIRST_DAY to SELF_READING_LAST_DAY of the month; when the first day comes
    after the last, it spans the month's end and the days before it belong to the next month's bill.
    """
    first, last = settings.SELF_READING_FIRST_DAY, settings.SELF_READING_LAST_DAY
    month = today.replace(day=1)
    if first <= last:
        return month if first <= today.day <= last else None
    if today.day >= first:
        return add_months(month, 1)
    return month if today.day <= last else None


def _refusal(connection_id: int, period: date) -> str:
    """Why no stand can be taken for the period any more; empty when one can."""
    if Bill.objects.filter(connection_id=connection_id, period=period).exclude(status=Bill.Status.VOID).exists():
        return _("The bill for %(period)s has been issued already.") % {"period": f"{period:%m/%Y}"}
    if MeterReading.objects.filter(connection_id=connection_id, period=period).exists():
        return _("The meter has been read for %(period)s already.") % {"period": f"{period:%m/%Y}"}
    return ""


def assess(connection: ServiceConnection, period: date, reading: int) -> Assessment:
    """Usage since the last reading before `period`, the bill it would make under the tariff in force (the bill
    run's own computation), and whether the customer must confirm the stand. Two queries plus the tariffs'."""
    recent = list(
        MeterReading.objects.filter(connection=connection, period__lt=period).order_by("-period")[:HISTORY_MONTHS]
    )
    previous = recent[0].reading if recent else None
    usage, reason = usage_between(previous, reading)
    usual = usual_usage(period, {r.period: r for r in recent})
    if not reason and usage is not None and usual is not None and is_high_usage(usage, usual):
        reason = _("far above your usual usage (about %(usual)s m³ a month)") % {"usual": round(usual)}
    lines: tuple[Line, ...] = ()
    terms = tariffs_in_force(period).get(connection.customer_class_id)
    if terms is not None and usage is not None:
        lines = compute_lines(usage, terms, connection.meter_size)
    return Assessment(period, reading, previous, usage, lines, reason)


def start(
    connection: ServiceConnection,
    reading: int,
    photo: "ContentFile[bytes]",
    photo_taken_at: datetime | None,
    *,
    user: User | None,
    today: date | None = None,
) -> SelfReading:
    """Store a stand and its (already cleaned) photo as a draft for the customer to check and confirm."""
    period = window_period(today or timezone.localdate())
    if period is None:
        raise SelfReadingRefused(window_closed_message())
    if reason := _refusal(connection.pk, period):
        raise SelfReadingRefused(reason)
    found = assess(connection, period, reading)
    draft = SelfReading(
        connection=connection,
        period=period,
        reading=reading,
        previous_reading=found.previous,
        usage=found.usage,
        check_reason=found.check_reason,
        photo_taken_at=photo_taken_at,
        submitted_by=user if user is not None and user.is_authenticated else None,
    )
    draft.photo.save(photo.name or "meter.jpg", photo, save=False)
    draft.save()
    return draft


def confirm(pk: int, *, checked: bool, today: date | None = None) -> SelfReading:
    """Send a draft for review; it replaces a stand of the same connection and period still waiting.

    A stand that needed checking (see `assess`) is sent only with `checked`. The connection's row is locked so
    that two confirmations of the same period queue one after the other (the partial unique index on pending
    stands is the last line of defence).
    """
    with transaction.atomic():
        draft = SelfReading.objects.select_for_update().select_related("connection").get(pk=pk)
        if draft.status != Status.DRAFT:
            raise SelfReadingRefused(_("This meter stand has been sent already."))
        ServiceConnection.objects.select_for_update().filter(pk=draft.connection_id).first()
        if window_period(today or timezone.localdate()) != draft.period:
            raise SelfReadingRefused(window_closed_message())
        # Replaced before the checks below: this waits for a review of the waiting stand in progress, so a stand
        # accepted meanwhile is seen as the period's reading and this one is refused (and the update undone).
        SelfReading.objects.filter(
            connection_id=draft.connection_id, period=draft.period, status=Status.PENDING
        ).update(status=Status.REPLACED)
        if reason := _refusal(draft.connection_id, draft.period):
            raise SelfReadingRefused(reason)
        found = assess(draft.connection, draft.period, draft.reading)
        if found.check_reason and not checked:
            raise NeedsCheck(_("Please look at your photo again and confirm that the stand is right."))
        draft.previous_reading, draft.usage, draft.check_reason = found.previous, found.usage, found.check_reason
        draft.status, draft.submitted_at = Status.PENDING, timezone.now()
        draft.save(update_fields=["previous_reading", "usage", "check_reason", "status", "submitted_at"])
    return draft


def _pending(pk: int) -> SelfReading:
    item = SelfReading.objects.select_for_update().select_related("connection").get(pk=pk)
    if item.status != Status.PENDING:
        raise SelfReadingRefused(_("This meter stand has been reviewed already."))
    return item


def accept(pk: int, reviewer: User) -> SelfReading:
    """Make a pending stand the period's meter reading (source customer) and tell the customer.

    Refused, changing nothing, when the period has been read or billed since the stand was sent.
    """
    with transaction.atomic():
        item = _pending(pk)
        if reason := _refusal(item.connection_id, item.period):
            raise SelfReadingRefused(reason)
        read_on = timezone.localdate(item.submitted_at or item.created_at)
        entry = ReadingInput(
            0, item.connection.account_number, item.period, item.reading, read_on, MeterReading.Source.CUSTOMER
        )
        result = record_readings([entry])
        if result.errors:
            raise SelfReadingRefused(result.errors[0][1])
        item.meter_reading = MeterReading.objects.get(connection_id=item.connection_id, period=item.period)
        item.status, item.reviewed_by, item.reviewed_at = Status.ACCEPTED, reviewer, timezone.now()
        item.save(update_fields=["meter_reading", "status", "reviewed_by", "reviewed_at"])
        audit.record(
            reviewer,
            "billing.accept_self_reading",
            item,
            connection=item.connection,
            summary=f"{item.period:%Y-%m}: {item.reading} m³",
        )
        _tell_customer(item, "billing/self_reading_accepted")
    return item


def reject(pk: int, reviewer: User, reason: str) -> SelfReading:
    """Turn a pending stand down with a reason the customer is told; the field reader reads the meter instead."""
    reason = reason.strip()
    if not reason:
        raise SelfReadingRefused(_("Please give the customer a reason."))
    with transaction.atomic():
        item = _pending(pk)
        item.status, item.reviewed_by, item.reviewed_at = Status.REJECTED, reviewer, timezone.now()
        item.reject_reason = reason[:200]
        item.save(update_fields=["status", "reviewed_by", "reviewed_at", "reject_reason"])
        audit.record(
            reviewer,
            "billing.reject_self_reading",
            item,
            connection=item.connection,
            summary=f"{item.period:%Y-%m}: {item.reading} m³: {item.reject_reason}",
        )
        _tell_customer(item, "billing/self_reading_rejected")
    return item


def _tell_customer(item: SelfReading, template: str) -> None:
    connection = item.connection
    context: dict[str, Any] = {
        "account_number": connection.account_number,
        "period": item.period.isoformat(),
        "reading": item.reading,
        "reason": item.reject_reason,
        "site_url": absolute_url("billing:connection", connection.account_number),
    }
    for recipient in recipients(connection, Kind.BILLS):
        notify(recipient, template, context, dedupe_key("billing:self-reading", item.pk, recipient=recipient))


def with_latest_sent(connections: QuerySet[ServiceConnection]) -> QuerySet[ServiceConnection]:
    """Annotate each connection with its most recent stand sent for review (drafts are the sender's business), in
    the same query; read it back with `latest_sent`."""
    sent = (
        SelfReading.objects.filter(connection=OuterRef("pk"))
        .exclude(status__in=[Status.DRAFT, Status.REPLACED])
        .order_by("-created_at")
    )
    return connections.annotate(
        latest_stand_pk=Subquery(sent.values("pk")[:1]),
        latest_stand_period=Subquery(sent.values("period")[:1]),
        latest_stand_status=Subquery(sent.values("status")[:1]),
    )


def latest_sent(connection: ServiceConnection) -> SelfReading | None:
    """The stand `with_latest_sent` found for the connection (period and status only), or None."""
    pk = getattr(connection, "latest_stand_pk", None)
    if pk is None:
        return None
    period, status = connection.latest_stand_period, connection.latest_stand_status  # type: ignore[attr-defined]
    return SelfReading(pk=pk, connection=connection, period=period, status=status)


def discard_stale_drafts(older_than: timedelta) -> int:
    """Drop drafts nobody confirmed (a closed tab, a wrong photo) with their photos; returns how many."""
    stale = SelfReading.objects.filter(status=Status.DRAFT, created_at__lt=timezone.now() - older_than)
    discarded = 0
    for item in stale.only("pk", "photo").iterator(chunk_size=500):
        item.photo.delete(save=False)
        item.delete()
        discarded += 1
    return discarded


def review_queue(limit: int) -> QuerySet[SelfReading]:
    """Pending stands, oldest first, with their connection and its recent readings (one query each)."""
    history = MeterReading.objects.order_by("-period")
    return (
        SelfReading.objects.filter(status=Status.PENDING)
        .select_related("connection__customer", "connection__area", "submitted_by")
        .prefetch_related(Prefetch("connection__readings", queryset=history, to_attr="history"))
        .order_by("submitted_at", "pk")[:limit]
    )


def still_to_read(area: Area, period: date) -> Iterator[tuple[str, str, str, str, int | None]]:
    """The active connections of the area (and of its villages) that no reading covers yet for `period` (neither
    a field reading nor an accepted self reading), as (account number, meter number, customer, address, last
    stand), read in batches."""
    area_ids = [area.pk, *area.children.values_list("pk", flat=True)]
    read = MeterReading.objects.filter(connection=OuterRef("pk"), period=period)
    accepted = SelfReading.objects.filter(connection=OuterRef("pk"), period=period, status=Status.ACCEPTED)
    last = MeterReading.objects.filter(connection=OuterRef("pk"), period__lt=period).order_by("-period")
    rows = (
        ServiceConnection.objects.filter(status=ServiceConnection.Status.ACTIVE, area_id__in=area_ids)
        .exclude(Exists(read))
        .exclude(Exists(accepted))
        .annotate(last_stand=last.values("reading")[:1])
        .order_by("pk")
        .values_list("account_number", "meter_number", "customer__name", "address", "last_stand")
    )
    return rows.iterator(chunk_size=2000)


def window_closed_message() -> str:
    return _("Meter stands can be sent from day %(first)s to day %(last)s of the month.") % {
        "first": settings.SELF_READING_FIRST_DAY,
        "last": settings.SELF_READING_LAST_DAY,
    }


def proven_connection(request: HttpRequest, account_number: str, proof: str) -> ServiceConnection:
    """The connection a signed-out visitor proved to hold (the linking proof), with a lockout of its own.

    Too many wrong proofs for this account number, or from this client, refuse every try until the rate's window
    passes; a wrong proof counts against both. Raises SelfReadingRefused.
    """
    if any(usage["count"] >= usage["limit"] for usage in _proof_usage(request, account_number, increment=False)):
        raise SelfReadingRefused(_("Too many wrong answers. Please try again later or ask at the counter."))
    connection = holder_connection(account_number, proof)
    if connection is None:
        _proof_usage(request, account_number, increment=True)
        raise SelfReadingRefused(_("The account number and the proof do not match."))
    return connection


def _proof_usage(request: HttpRequest, account_number: str, *, increment: bool) -> list[dict[str, Any]]:
    rate = settings.SELF_READING_PROOF_FAILURES
    keys = ("ip", lambda group, request: f"number:{account_number}")
    found = [get_usage(request, PROOF_GROUP, key=key, rate=rate, increment=increment) for key in keys]
    return [usage for usage in found if usage is not None]
