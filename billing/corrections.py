"""Answering a questioned bill (BillDispute): billing staff confirm it with an explanation, or correct its
reading, which replaces it.

A corrected bill is never edited: it becomes void and a replacement for the same period, priced by the same
code as the bill run (the tariff in force for that period), takes its place. The money that paid the old bill
(and any credit used on it) is released to the connection's credit and used on the replacement; what the
replacement does not need stays as credit for the next bill or a refund. The payments and their receipts stay as
they were: they show what was paid against which bill at the time.

The replacement carries no late fee (a fee for the time the bill was questioned would punish the question), and
an answer that comes after the due date moves it to BILL_DISPUTE_GRACE_DAYS after the answer.

Lock order: the bill, then its dispute, then the connection's credit balance (after the payment and bills of
billing/payments/services.py, which this never locks: a payment settling the old bill meanwhile finds it void
and becomes credit).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.formatting import rupiah
from accounts.models import User
from accounts.outbox import notify
from accounts.recipients import Kind, absolute_url, dedupe_key, recipients
from billing import credit
from billing.billrows import bill_line
from billing.billrun import line_tails
from billing.models import Bill, BillDispute, BillLine, MeterReading
from billing.payments.models import PaymentBill
from billing.readings import correct_stand, previous_stand, usage_between
from billing.signals import bill_dispute_resolved
from billing.tariffs import Line, TariffTerms, compute_lines, tariffs_in_force, total_of


class CorrectionError(Exception):
    """A rule refused the answer; the message is for the member of staff, nothing was changed."""


@dataclass(frozen=True)
class Preview:
    """What the replacement of a questioned bill would be for a corrected stand."""

    previous_reading: int
    current_reading: int
    usage: int
    lines: tuple[Line, ...]
    total: int  # before credit
    released: int  # paid for the old bill (payments and credit), released to the credit
    credit: int  # the credit the replacement would use (the balance now plus what is released)
    to_pay: int


def fresh_due_date(due: date) -> date:
    """The due date of a bill answered today: as it was, unless it has passed meanwhile."""
    today = timezone.localdate()
    return due if due >= today else today + timedelta(days=settings.BILL_DISPUTE_GRACE_DAYS)


def _explanation(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CorrectionError(_("Write the explanation the customer will read."))
    return text


def _lock(dispute: BillDispute | int) -> tuple[BillDispute, Bill]:
    dispute_id = dispute if isinstance(dispute, int) else dispute.pk
    bill_id = BillDispute.objects.filter(pk=dispute_id).values_list("bill_id", flat=True).get()
    bill = Bill.objects.select_for_update(no_key=True).select_related("connection").get(pk=bill_id)
    locked = BillDispute.objects.select_for_update(no_key=True).get(pk=dispute_id)
    if locked.resolved_at is not None:
        raise CorrectionError(_("This question has been answered already."))
    if bill.status == Bill.Status.VOID:
        raise CorrectionError(_("This bill has been replaced already."))
    locked.bill = bill
    return locked, bill


def _resolve(dispute: BillDispute, outcome: str, explanation: str, by: User, replacement: Bill | None) -> None:
    dispute.outcome, dispute.explanation = outcome, explanation
    dispute.resolved_at, dispute.resolved_by = timezone.now(), by
    dispute.save(update_fields=["outcome", "explanation", "resolved_at", "resolved_by"])
    bill_dispute_resolved.send(sender=BillDispute, dispute=dispute, replacement=replacement)


def confirm_bill(dispute: BillDispute | int, explanation: str, by: User) -> BillDispute:
    """The bill was right: it leaves its hold (back to what it was), due again no earlier than the grace period
    allows, and the customer reads the explanation."""
    explanation = _explanation(explanation)
    with transaction.atomic():
        dispute, bill = _lock(dispute)
        before = {"status": bill.status, "due_date": bill.due_date.isoformat()}
        if bill.status == Bill.Status.DISPUTED:
            bill.status = dispute.status_before
            if bill.status == Bill.Status.OPEN:
                bill.due_date = fresh_due_date(bill.due_date)
            bill.save(update_fields=["status", "due_date"])
        audit.record(
            by,
            "bill.confirm",
            bill,
            connection=bill.connection,
            summary=f"{bill.period:%Y-%m}: {explanation}",
            changes=audit.diff(before, {"status": bill.status, "due_date": bill.due_date.isoformat()}),
        )
        _resolve(dispute, BillDispute.Outcome.CONFIRMED, explanation, by, None)
    return dispute


def _terms(bill: Bill) -> tuple[TariffTerms, int]:
    """The terms in force for the bill's period and class, as the bill run takes them, with the tariff's id."""
    terms = tariffs_in_force(bill.period).get(bill.connection.customer_class_id)
    if terms is None or terms.tariff_id is None:
        raise CorrectionError(_("There is no tariff for this customer class in this period."))
    return terms, terms.tariff_id


def _released(bill: Bill) -> int:
    """What paid the bill: its settled payment and any credit used on it."""
    paid = sum(PaymentBill.objects.filter(bill=bill, settled=True).values_list("amount", flat=True))
    used = -sum(bill.lines.filter(kind=BillLine.Kind.CREDIT).values_list("amount", flat=True))
    return paid + used


def _usage(bill: Bill, reading: MeterReading | None, new_reading: int) -> tuple[int, int]:
    previous = previous_stand(bill.connection, bill.period, reading)
    usage, reason = usage_between(previous, new_reading)
    if usage is None or previous is None:
        raise CorrectionError(reason)
    return previous, usage


def preview(dispute: BillDispute, new_reading: int) -> Preview:
    """The replacement's lines and what would be left to pay, without changing anything."""
    bill = dispute.bill
    reading = MeterReading.objects.filter(connection_id=bill.connection_id, period=bill.period).first()
    previous, usage = _usage(bill, reading, new_reading)
    lines = compute_lines(usage, _terms(bill)[0], bill.connection.meter_size)
    total = total_of(lines)
    released = _released(bill)
    available = min(total, credit.balance_of(bill.connection_id) + released)
    return Preview(previous, new_reading, usage, lines, total, released, available, total - available)


def correct_reading(dispute: BillDispute | int, new_reading: int, explanation: str, by: User) -> Bill:
    """The reading was wrong: record the checked stand, void the bill and issue its replacement, in one
    transaction. Returns the replacement."""
    explanation = _explanation(explanation)
    with transaction.atomic():
        dispute, bill = _lock(dispute)
        connection = bill.connection
        try:
            reading = correct_stand(connection, bill.period, new_reading, by=by, dispute=dispute)
        except ValueError as error:
            raise CorrectionError(str(error)) from None
        terms, tariff_id = _terms(bill)
        usage = reading.usage or 0  # correct_stand refuses a stand without usage
        lines = compute_lines(usage, terms, connection.meter_size)
        released = _released(bill)
        now = timezone.now()
        Bill.objects.filter(pk=bill.pk).update(status=Bill.Status.VOID, voided_at=now)
        replacement = Bill.objects.create(
            connection=connection,
            period=bill.period,
            tariff_id=tariff_id,
            previous_reading=reading.previous_reading,
            current_reading=reading.reading,
            usage=usage,
            estimated=False,
            total=total_of(lines),
            due_date=fresh_due_date(bill.due_date),
            status=Bill.Status.OPEN,
            issued_at=now,
        )
        BillLine.objects.bulk_create(bill_line(replacement.pk, tail) for tail in line_tails(lines))
        Bill.objects.filter(pk=bill.pk).update(replaced_by=replacement)
        bill.status, bill.voided_at, bill.replaced_by = Bill.Status.VOID, now, replacement  # as receivers read it
        if released:
            credit.add(connection.pk, released, credit.Kind.REPLACED, bill=bill, by=by, note=f"{bill.period:%Y-%m}")
        credit.apply_to_bill(replacement, by=by)
        audit.record(
            by,
            "bill.correct",
            replacement,
            connection=connection,
            summary=f"{bill.period:%Y-%m}: {bill.usage} → {replacement.usage} m³, "
            f"{rupiah(bill.total)} → {rupiah(replacement.total)}",
            changes={"reading": (bill.current_reading, new_reading), "bill": (bill.pk, replacement.pk)},
        )
        _resolve(dispute, BillDispute.Outcome.CORRECTED, explanation, by, replacement)
    return replacement


def tell_customer(dispute: BillDispute, replacement: Bill | None) -> int:
    """Tell the connection's people of the answer through the outbox (when no ticket carries it); call inside the
    answering transaction. Returns how many messages were queued."""
    bill = replacement or dispute.bill
    connection = bill.connection
    balance = credit.balance_of(connection.pk)
    context = {
        "account_number": connection.account_number,
        "period": f"{bill.period:%Y-%m}",
        "corrected": replacement is not None,
        "explanation": dispute.explanation,
        "total": rupiah(sum(bill.lines.exclude(kind=BillLine.Kind.CREDIT).values_list("amount", flat=True))),
        "to_pay": rupiah(bill.total if bill.status == Bill.Status.OPEN else 0),
        "credit": rupiah(balance) if balance else "",
        "site_url": absolute_url("billing:bill", bill.pk),
    }
    sent = 0
    for recipient in recipients(connection, Kind.BILLS):
        key = dedupe_key("billing:bill-answered", dispute.pk, recipient=recipient)
        sent += len(notify(recipient, "billing/bill_answered", context, key))
    return sent
