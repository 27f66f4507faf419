"""A customer questions a bill: the bill goes on hold while billing staff check it.

An open bill becomes `disputed`, so every rule that reads open bills (late fees, reminders, the amount to pay
online, partners' inquiries) leaves it alone without knowing about disputes. A paid bill stays paid: the
dispute alone tells staff to look again. Answering a dispute (confirm or correct) is not done here.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from accounts.models import User
from billing.models import Bill, BillDispute, MeterReading
from billing.usage_chart import recent_usage

USAGE_MONTHS = 12


class DisputeError(Exception):
    """The bill cannot be questioned now; the message is for the person who asked, nothing was changed."""


def open_dispute(bill: Bill | int, reason: str, *, by: User | None, ticket: str = "") -> BillDispute:
    """Record that `bill` is questioned (with the ticket that carries the conversation) and hold it if open.

    The bill row is locked, so two taps, or a payment settling at the same moment, see one another: a
    payment either paid the bill first (it stays paid, the dispute still opens) or waits for the hold.
    Raises DisputeError for a replaced bill or one already being checked.
    """
    reason = reason.strip()
    if not reason:
        raise DisputeError(_("Tell us what seems wrong with the bill."))
    bill_id = bill if isinstance(bill, int) else bill.pk
    with transaction.atomic():
        locked = Bill.objects.select_for_update(no_key=True).get(pk=bill_id)
        if locked.status == Bill.Status.VOID:
            raise DisputeError(_("This bill was replaced by a corrected one; please look at the new bill."))
        if BillDispute.objects.filter(bill=locked, resolved_at__isnull=True).exists():
            raise DisputeError(_("This bill is already being checked."))
        dispute = BillDispute.objects.create(
            bill=locked, ticket=ticket, reason=reason, status_before=locked.status, opened_by=by
        )
        if locked.status == Bill.Status.OPEN:
            locked.status = Bill.Status.DISPUTED
            locked.save(update_fields=["status"])
    if not isinstance(bill, int):
        bill.status = locked.status
    return dispute


def set_ticket(dispute: BillDispute, ticket: str) -> None:
    """The number of the ticket filed for the dispute (taken after the bill was held, in the same transaction)."""
    dispute.ticket = ticket
    dispute.save(update_fields=["ticket"])


def open_dispute_of(bill: Bill) -> BillDispute | None:
    """The dispute staff are still checking on this bill, if any."""
    return BillDispute.objects.filter(bill=bill, resolved_at__isnull=True).first()


@dataclass(frozen=True)
class ReadingFact:
    period: date
    reading: int
    previous_reading: int | None
    usage: int | None
    source: str
    source_label: str
    read_on: date
    flagged: bool
    flag_reason: str


@dataclass(frozen=True)
class DisputeContext:
    """What billing staff need to answer "this bill looks wrong", gathered in two queries."""

    bill: Bill
    current: ReadingFact | None
    previous: ReadingFact | None
    usage: list[tuple[date, int, bool]]  # (period, m³, estimated), newest first, the last 12 bills
    # The meter photos customers sent with these readings (their own accepted stands), newest first.
    photos: list[FieldFile]


def _fact(reading: MeterReading) -> ReadingFact:
    return ReadingFact(
        period=reading.period,
        reading=reading.reading,
        previous_reading=reading.previous_reading,
        usage=reading.usage,
        source=reading.source,
        source_label=reading.get_source_display(),
        read_on=reading.read_on,
        flagged=reading.flagged,
        flag_reason=reading.flag_reason,
    )


def dispute_context(bill: Bill) -> DisputeContext:
    """The bill's reading and the one before it (with who read them and any flag) and the last 12 months' usage.

    A constant number of queries whatever the history: one for the two readings, one for the usage.
    """
    readings = list(
        MeterReading.objects.filter(connection_id=bill.connection_id, period__lte=bill.period)
        .select_related("self_reading")
        .order_by("-period")[:2]
    )
    current = readings[0] if readings and readings[0].period == bill.period else None
    earlier = [r for r in readings if r.period < bill.period]
    usage = recent_usage(bill.connection_id, USAGE_MONTHS, until=bill.period)
    return DisputeContext(
        bill=bill,
        current=_fact(current) if current else None,
        previous=_fact(earlier[0]) if earlier else None,
        usage=usage,
        photos=[reading.self_reading.photo for reading in readings if hasattr(reading, "self_reading")],
    )
