"""Payment rules: start a payment, settle it exactly once, take cash, close, expire, reverse.

Lock order everywhere: the payment row first, then its bills by primary key, then the connection's credit
balance (billing/credit.py). Locks are `FOR NO KEY UPDATE` of
the row itself only: a `FOR UPDATE` through select_related would also lock the connection, which every new
payment row references, and deadlock a cashier against the gateway. Settling is one transaction that
holds those locks and the year's receipt counter; the partial unique index on settled allocations refuses a
second settlement of a bill even if a code path forgot to look.
"""

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.formatting import rupiah
from accounts.models import ServiceConnection, User
from billing import credit
from billing.models import Bill, BillDispute
from billing.payments import messages
from billing.payments.models import Payment, PaymentBill, Receipt, ReceiptCounter
from billing.payments.providers import online_provider
from billing.payments.providers.base import ProviderError
from billing.services import open_bills

logger = logging.getLogger("tirta.payments")

Status = Payment.Status
SETTLED_STATES = {Status.PAID, Status.CREDIT, Status.REVERSED, Status.REFUNDED}


def is_settled(payment: Payment) -> bool:
    """Whether the payment's money has been accounted for. A settled payment never leaves these states, so a
    plain read that finds one settled is as good as a locked one: the gateway's retries need no lock."""
    return payment.status in SETTLED_STATES


class PaymentError(Exception):
    """A rule refused the request; the message is for the person who asked, nothing was changed."""


@dataclass(frozen=True)
class Settlement:
    payment: Payment
    changed: bool  # False when the payment had been settled (or credited) before: a duplicate


def new_order_id() -> str:
    """`TRT-20261128-9F2C41A07B`: unique per attempt, unguessable, within Midtrans' 50 characters."""
    return f"TRT-{timezone.localdate():%Y%m%d}-{secrets.token_hex(5).upper()}"


def choose_bills(connection: ServiceConnection, bill_ids: list[int] | None = None) -> list[Bill]:
    """The open bills a payment covers: all arrears by default, otherwise the oldest ones chosen.

    Arrears are paid oldest first, so a choice must be the oldest N open bills; skipping one is refused.
    """
    bills = list(open_bills(connection))
    if not bills:
        raise PaymentError(_("There is nothing to pay on this connection."))
    if bill_ids is None:
        return bills
    chosen = set(bill_ids)
    if not chosen or not chosen <= {bill.pk for bill in bills}:
        raise PaymentError(_("These bills are no longer open. Please check the bills again."))
    oldest = bills[: len(chosen)]
    if {bill.pk for bill in oldest} != chosen:
        raise PaymentError(_("Older bills must be paid first."))
    return oldest


def _create(connection: ServiceConnection, bills: list[Bill], provider: str, **fields: Any) -> Payment:
    payment = Payment.objects.create(
        order_id=new_order_id(),
        connection=connection,
        provider=provider,
        amount=sum(bill.total for bill in bills),
        **fields,
    )
    PaymentBill.objects.bulk_create(PaymentBill(payment=payment, bill=bill, amount=bill.total) for bill in bills)
    return payment


def start_online_payment(
    connection: ServiceConnection,
    *,
    finish_url: Callable[[Payment], str],
    payer: User | None = None,
    payer_email: str = "",
    bill_ids: list[int] | None = None,
) -> Payment:
    """Create a pending payment of the chosen bills with the online provider and register it there.

    The gateway call happens after commit (no lock held over the network). If the gateway refuses, the
    attempt is marked failed and PaymentError tells the customer to try again.
    """
    provider = online_provider()
    now = timezone.now()
    with transaction.atomic():
        bills = choose_bills(connection, bill_ids)
        payment = _create(
            connection,
            bills,
            provider.identifier,
            payer=payer if payer is not None and payer.is_authenticated else None,
            payer_email=payer_email,
            expires_at=now + timedelta(minutes=settings.PAYMENT_PENDING_MINUTES),
        )
    try:
        checkout = provider.create_checkout(payment, finish_url=finish_url(payment))
    except ProviderError:
        close(payment.pk, Status.FAILED)
        raise PaymentError(_("The payment service is not available right now. Please try again in a moment.")) from None
    payment.checkout_url = checkout.redirect_url
    Payment.objects.filter(pk=payment.pk).update(checkout_url=checkout.redirect_url)
    return payment


def _lock_bills(payment: Payment) -> list[Bill]:
    bill_ids = payment.allocations.values_list("bill_id", flat=True)
    return list(Bill.objects.select_for_update(no_key=True).filter(pk__in=list(bill_ids)).order_by("pk"))


ONLY_OPEN = frozenset({Bill.Status.OPEN})
# The counter alone may take a bill on hold, when the customer asks to pay it anyway: the hold keeps late
# fees, reminders and every unattended channel (online, partners) away from it, not the customer's own cash.
OPEN_OR_HELD = frozenset({Bill.Status.OPEN, Bill.Status.DISPUTED})


def _settle_locked(payment: Payment, bills: list[Bill], now: datetime, payable: frozenset[str] = ONLY_OPEN) -> bool:
    """Mark the locked bills paid by the locked payment and issue its receipt; False if a bill was already paid
    (or is in a state this path may not settle)."""
    if any(bill.status not in payable for bill in bills):
        return False
    try:
        with transaction.atomic():
            PaymentBill.objects.filter(payment=payment).update(settled=True)
    except IntegrityError:
        return False
    Bill.objects.filter(pk__in=[bill.pk for bill in bills]).update(status=Bill.Status.PAID, paid_at=now)
    payment.status = Status.PAID
    payment.paid_at = now
    payment.save(update_fields=["status", "paid_at", "payment_type", "transaction_id"])
    receipt = _issue_receipt(payment, now)
    messages.send_receipt(payment, receipt)
    return True


def _issue_receipt(payment: Payment, now: datetime) -> Receipt:
    """The next number of the year, from the counter row locked until this transaction ends."""
    year = timezone.localtime(now).year
    ReceiptCounter.objects.bulk_create([ReceiptCounter(year=year)], ignore_conflicts=True)
    counter = ReceiptCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    number = f"{settings.RECEIPT_NUMBER_PREFIX}/{year}/{counter.last:06d}"
    return Receipt.objects.create(payment=payment, year=year, sequence=counter.last, number=number, issued_at=now)


def settle(payment_id: int, *, payment_type: str = "", transaction_id: str = "") -> Settlement:
    """The gateway says the money arrived: settle the payment's bills once and issue the receipt.

    Idempotent: a duplicate finds the payment settled and returns. Money never gets dropped: if a bill was
    settled another way meanwhile, the payment becomes a credit to refund and supervisors are told. A payment
    we had closed (expired by our clock, failed) is still settled: the gateway knows about money, we do not.
    """
    now = timezone.now()
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update(of=("self",), no_key=True).select_related("connection").get(pk=payment_id)
        )
        if is_settled(payment):
            return Settlement(payment, changed=False)
        payment.payment_type = payment_type or payment.payment_type
        payment.transaction_id = transaction_id or payment.transaction_id
        if not _settle_locked(payment, _lock_bills(payment), now):
            payment.status = Status.CREDIT
            payment.paid_at = now
            payment.credit_reason = "bills already paid"
            payment.save(update_fields=["status", "paid_at", "credit_reason", "payment_type", "transaction_id"])
            credit.add(payment.connection_id, payment.amount, credit.Kind.UNUSED_PAYMENT, payment=payment)
            logger.warning("payment %s paid after its bills were settled: credit to refund", payment.order_id)
            messages.tell_supervisors_of_credit(payment)
    return Settlement(payment, changed=True)


def close(payment_id: int, status: str, *, payment_type: str = "") -> bool:
    """A pending payment failed or expired; any other state stays (states only move forward)."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update(no_key=True).get(pk=payment_id)
        if payment.status != Status.PENDING:
            return False
        payment.status = status
        payment.closed_at = timezone.now()
        payment.payment_type = payment_type or payment.payment_type
        payment.save(update_fields=["status", "closed_at", "payment_type"])
    return True


def expire_pending(now: datetime | None = None, batch: int = 1000) -> int:
    """Expire online payments still pending past their time; returns how many. Run by Celery beat."""
    now = now or timezone.now()
    due = Payment.objects.filter(status=Status.PENDING, expires_at__lt=now).values_list("pk", flat=True)[:batch]
    return sum(close(pk, Status.EXPIRED) for pk in list(due))


def pay_locked_bills(
    connection: ServiceConnection,
    bills: list[Bill],
    provider: str,
    now: datetime,
    *,
    payable: frozenset[str] = ONLY_OPEN,
    **fields: Any,
) -> Payment | None:
    """A payment over `bills`, which the caller has locked in its transaction, settled at once (money already in
    hand: the counter's cash, a partner's collection). None when a bill was paid meanwhile: the caller raises so
    that its transaction rolls back and nothing is kept. Only the counter passes `payable=OPEN_OR_HELD`."""
    payment = _create(connection, sorted(bills, key=lambda bill: bill.period), provider, **fields)
    return payment if _settle_locked(payment, bills, now, payable) else None


def take_cash(
    connection: ServiceConnection,
    *,
    cashier: User,
    bill_ids: list[int],
    expected_total: int,
    tendered: int,
    include_held: bool = False,
) -> Payment:
    """Cash at the counter: the bills the cashier saw, for the total shown, paid at once with a receipt.

    A bill on hold (questioned by the customer) is taken only with `include_held`, when the customer asks to
    pay it anyway; its question stays open for billing staff. Raises PaymentError, changing nothing, if the
    bills changed since the cashier's screen (paid online meanwhile, a late fee added, put on hold) or the
    cash does not cover the total.
    """
    payable = OPEN_OR_HELD if include_held else ONLY_OPEN
    now = timezone.now()
    with transaction.atomic():
        bills = list(
            Bill.objects.select_for_update(no_key=True).filter(pk__in=bill_ids, connection=connection).order_by("pk")
        )
        if len(bills) != len(set(bill_ids)) or any(bill.status not in payable for bill in bills):
            raise PaymentError(
                _("Some of these bills were paid meanwhile. Nothing was recorded: check the bills again.")
            )
        total = sum(bill.total for bill in bills)
        if total != expected_total:
            raise PaymentError(_("The amount due changed. Nothing was recorded: check the bills again."))
        if tendered < total:
            raise PaymentError(_("The cash tendered is less than the amount due."))
        # Arrears go oldest first among the open bills; a bill on hold is outside that order.
        open_ids = [bill.pk for bill in bills if bill.status == Bill.Status.OPEN]
        if open_ids:
            choose_bills(connection, open_ids)
        payment = pay_locked_bills(
            connection,
            bills,
            "counter",
            now,
            payable=payable,
            cashier=cashier,
            tendered=tendered,
            payment_type="cash",
            expires_at=None,
        )
        if payment is None:
            raise PaymentError(
                _("Some of these bills were paid meanwhile. Nothing was recorded: check the bills again.")
            )
        audit.record(
            cashier,
            "payment.cash",
            payment,
            connection=connection,
            summary=f"{payment.receipt.number} {rupiah(payment.amount)}",
        )
    return payment


def reverse(payment_id: int, *, supervisor: User, reason: str) -> Payment:
    """Undo a paid payment: its bills reopen, its receipt is void, the audit log says who, when and why."""
    reason = reason.strip()
    if not reason:
        raise PaymentError(_("Write down why the payment is reversed."))
    now = timezone.now()
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update(of=("self",), no_key=True).select_related("connection").get(pk=payment_id)
        )
        if payment.status == Status.REVERSED:
            return payment
        if payment.status != Status.PAID:
            raise PaymentError(_("Only a paid payment can be reversed."))
        bills = _lock_bills(payment)
        if any(bill.status == Bill.Status.VOID for bill in bills):
            # Its money was released to the connection's credit when the bill was replaced: refund that instead.
            raise PaymentError(_("A bill of this payment was replaced; its money is in the connection's credit."))
        payment.allocations.update(settled=False)
        ids = [bill.pk for bill in bills]
        # A bill the customer questioned while it was open and then paid anyway goes back on hold, not open:
        # its question is still unanswered, so late fees and reminders keep waiting.
        held = BillDispute.objects.filter(bill__in=ids, resolved_at__isnull=True, status_before=Bill.Status.OPEN)
        held_ids = list(held.values_list("bill_id", flat=True))
        Bill.objects.filter(pk__in=ids).exclude(pk__in=held_ids).update(status=Bill.Status.OPEN, paid_at=None)
        Bill.objects.filter(pk__in=held_ids).update(status=Bill.Status.DISPUTED, paid_at=None)
        Receipt.objects.filter(payment=payment).update(void=True, voided_at=now)
        payment.status = Status.REVERSED
        payment.reversed_at = now
        payment.reversed_by = supervisor
        payment.reversal_reason = reason
        payment.save(update_fields=["status", "reversed_at", "reversed_by", "reversal_reason"])
        audit.record(
            supervisor,
            "payment.reverse",
            payment,
            connection=payment.connection,
            summary=f"{payment.order_id} {rupiah(payment.amount)}: {reason}",
            changes={"status": (Status.PAID.value, Status.REVERSED.value), "reason": ("", reason)},
        )
    return payment


def mark_refunded(payment_id: int, *, supervisor: User, note: str) -> Payment:
    """A credit was paid back to the customer (outside Tirta); recorded with who and how."""
    note = note.strip()
    if not note:
        raise PaymentError(_("Write down how the money was refunded."))
    with transaction.atomic():
        payment = Payment.objects.select_for_update(no_key=True).get(pk=payment_id)
        if payment.status == Status.REFUNDED:
            return payment
        if payment.status != Status.CREDIT:
            raise PaymentError(_("Only a credit can be marked as refunded."))
        try:
            credit.add(
                payment.connection_id, -payment.amount, credit.Kind.REFUND, payment=payment, by=supervisor, note=note
            )
        except credit.CreditError:
            raise PaymentError(
                _("This credit has been used for a later bill already; nothing is left to refund.")
            ) from None
        payment.status = Status.REFUNDED
        payment.save(update_fields=["status"])
        audit.record(
            supervisor,
            "payment.refund",
            payment,
            connection=payment.connection,
            summary=f"{payment.order_id} {rupiah(payment.amount)}: {note}",
            changes={"status": (Status.CREDIT.value, Status.REFUNDED.value)},
        )
    return payment
