"""A connection's credit: money it has with the utility beyond its bills, as a ledger whose sum is the balance.

Money comes in when a replaced bill's payments are released (billing/corrections.py) or a payment arrives after
its bills were paid another way (billing/payments/services.py); it goes out when a bill is issued (the bill run,
a correction: a "credit from earlier payments" line with a negative amount, so the bill's total is what is left
to pay) or when a supervisor records a refund. Every change locks the connection's `CreditBalance` row, after
any bill or payment the caller has locked (the lock order of billing/payments/services.py), and writes the
entry and the balance in the caller's transaction.

The invariant, per connection: money received (payments paid, credited or refunded) equals what is allocated to
live bills (settled payments and credit applied) plus the balance plus the refunds.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.formatting import rupiah
from accounts.models import ServiceConnection, User
from billing.billrows import BillRow, LineTail, bill_line
from billing.models import Bill, BillLine
from billing.payments.models import CreditBalance, CreditEntry, Payment, PaymentBill

Kind = CreditEntry.Kind


class CreditError(Exception):
    """A rule refused the request; the message is for the member of staff, nothing was changed."""


def _locked_balance(connection_id: int) -> CreditBalance:
    CreditBalance.objects.bulk_create([CreditBalance(connection_id=connection_id)], ignore_conflicts=True)
    return CreditBalance.objects.select_for_update(no_key=True).get(connection_id=connection_id)


def balance_of(connection: ServiceConnection | int) -> int:
    """The connection's credit balance in Rupiah (0 without any)."""
    connection_id = connection if isinstance(connection, int) else connection.pk
    row = CreditBalance.objects.filter(connection_id=connection_id).values_list("balance", flat=True).first()
    return row or 0


def add(
    connection_id: int,
    amount: int,
    kind: str,
    *,
    payment: Payment | None = None,
    bill: Bill | None = None,
    by: User | None = None,
    note: str = "",
) -> CreditEntry:
    """Record money in (`amount` > 0) or out (< 0) of the connection's credit; call inside a transaction."""
    balance = _locked_balance(connection_id)
    if balance.balance + amount < 0:
        raise CreditError(_("The credit balance is only %(balance)s.") % {"balance": rupiah(balance.balance)})
    balance.balance += amount
    balance.save(update_fields=["balance"])
    return CreditEntry.objects.create(
        connection_id=connection_id,
        amount=amount,
        kind=kind,
        payment=payment,
        bill=bill,
        note=note[:200],
        created_by=by if by is not None and by.is_authenticated else None,
    )


def credit_line(position: int, applied: int) -> LineTail:
    """The bill line (position, kind, description, quantity, unit price, amount) for credit used on a bill."""
    return (position, BillLine.Kind.CREDIT.value, "", 1, -applied, -applied)


def apply_to_bill(bill: Bill, *, by: User | None = None) -> int:
    """Use the connection's credit on a bill just issued (locked or new in the caller's transaction): a credit
    line, a lower total, and a bill covered entirely paid at once (no payment, so no receipt number used).
    Returns the Rupiah applied."""
    balance = _locked_balance(bill.connection_id)
    used = min(balance.balance, bill.total)
    if used <= 0:
        return 0
    position = (bill.lines.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    bill_line(bill.pk, credit_line(position, used)).save()
    add(bill.connection_id, -used, Kind.APPLIED, bill=bill, by=by)
    bill.total -= used
    fields = ["total"]
    if bill.total == 0:
        bill.status, bill.paid_at = Bill.Status.PAID, timezone.now()
        fields += ["status", "paid_at"]
    bill.save(update_fields=fields)
    return used


@dataclass
class BatchCredit:
    """Credit used on a batch of new bills: per bill, the Rupiah applied; the locked balances, lowered."""

    applied: list[int]
    balances: list[CreditBalance]


def apply_to_batch(bills: list[BillRow], lines: list[tuple[LineTail, ...]]) -> tuple[list[BillRow], BatchCredit]:
    """Use the credit of the batch's connections on their new bills, in one query for all the balances.

    Returns the bills (totals net of credit; a bill covered entirely is paid at once, without a payment, so
    no receipt number is used) and what was applied; `lines` gets a credit line where credit was used. The
    caller writes the bills, then calls `record_batch` with their ids in the same transaction: the balances
    stay locked until it commits.
    """
    credit = BatchCredit([0] * len(bills), [])
    if not bills:
        return bills, credit
    balances = {
        row.connection_id: row
        for row in CreditBalance.objects.select_for_update(no_key=True).filter(
            connection_id__gte=bills[0].connection_id, connection_id__lte=bills[-1].connection_id, balance__gt=0
        )
    }
    if not balances:
        return bills, credit
    now = timezone.now()
    out = list(bills)
    for index, bill in enumerate(bills):
        balance = balances.get(bill.connection_id)
        if balance is None or bill.total == 0:
            continue
        used = min(balance.balance, bill.total)
        balance.balance -= used
        credit.applied[index] = used
        lines[index] = (*lines[index], credit_line(len(lines[index]), used))
        total = bill.total - used
        out[index] = bill._replace(
            total=total,
            status=Bill.Status.PAID.value if total == 0 else bill.status,
            paid_at=now if total == 0 else None,
        )
    credit.balances = list(balances.values())
    return out, credit


def record_batch(bills: list[BillRow], bill_ids: list[int], credit: BatchCredit) -> None:
    """The ledger entries and balances of the credit `apply_to_batch` used on the bills just written."""
    entries = [
        CreditEntry(connection_id=bill.connection_id, amount=-used, kind=Kind.APPLIED, bill_id=bill_id)
        for bill, bill_id, used in zip(bills, bill_ids, credit.applied, strict=True)
        if used
    ]
    if entries:
        CreditEntry.objects.bulk_create(entries)
        CreditBalance.objects.bulk_update(credit.balances, ["balance"])


def refund(connection: ServiceConnection, amount: int, *, supervisor: User, note: str) -> CreditEntry:
    """The utility paid (part of) the credit back to the customer outside Tirta; recorded with who and how."""
    note = note.strip()
    if not note:
        raise CreditError(_("Write down how the money was refunded."))
    if amount <= 0:
        raise CreditError(_("The amount refunded must be more than zero."))
    with transaction.atomic():
        entry = add(connection.pk, -amount, Kind.REFUND, by=supervisor, note=note)
        audit.record(
            supervisor,
            "credit.refund",
            entry,
            connection=connection,
            summary=f"{rupiah(amount)}: {note}",
        )
    return entry


def money_accounts(connection: ServiceConnection | int) -> dict[str, int]:
    """The terms of the invariant for one connection, for tests and the staff account page's check."""
    connection_id = connection if isinstance(connection, int) else connection.pk
    received = Payment.objects.filter(
        connection_id=connection_id,
        status__in=[Payment.Status.PAID, Payment.Status.CREDIT, Payment.Status.REFUNDED],
    ).aggregate(s=Sum("amount"))["s"]
    settled = (
        PaymentBill.objects.filter(payment__connection_id=connection_id, settled=True)
        .exclude(bill__status=Bill.Status.VOID)
        .aggregate(s=Sum("amount"))["s"]
    )
    entries = CreditEntry.objects.filter(connection_id=connection_id)
    applied_live = entries.filter(kind=Kind.APPLIED).exclude(bill__status=Bill.Status.VOID).aggregate(s=Sum("amount"))
    totals = entries.aggregate(
        balance=Sum("amount"),
        refunds=Sum("amount", filter=Q(kind=Kind.REFUND)),
    )
    return {
        "received": received or 0,
        "allocated": (settled or 0) - (applied_live["s"] or 0),
        "balance": totals["balance"] or 0,
        "refunds": -(totals["refunds"] or 0),
    }


def ledger(connection: ServiceConnection, limit: int = 50) -> list[CreditEntry]:
    """The connection's latest credit entries with their bill and payment, newest first."""
    return list(
        CreditEntry.objects.filter(connection=connection)
        .select_related("bill", "payment", "created_by")
        .order_by("-created_at", "-pk")[:limit]
    )
