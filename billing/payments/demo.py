"""Payment history for the demo: every bill the billing demo marked paid gets the payment and receipt a real
utility would hold (cash at the counter or online), in bulk and without sending any message."""

import random
from collections import defaultdict
from typing import TextIO

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from tqdm import tqdm

from accounts.models import User
from billing.models import Bill
from billing.payment_models import Payment, PaymentBill, Receipt, ReceiptCounter
from billing.payments.sandbox import METHODS

BATCH = 2000
COUNTER_SHARE = 0.45


def seed(*, rng: random.Random, progress: bool, stdout: TextIO) -> None:
    settled = PaymentBill.objects.filter(bill=OuterRef("pk"), settled=True)
    unpaid_for = (
        Bill.objects.filter(status=Bill.Status.PAID)
        .exclude(Exists(settled))
        .order_by("paid_at", "pk")
        .values_list("pk", "connection_id", "total", "paid_at")
    )
    cashier = User.objects.filter(email="counter@demo.tirta.test").first()
    done = 0
    with tqdm(total=unpaid_for.count(), desc="payments", unit="bill", disable=not progress) as bar:
        # Keyset batches in payment order: memory stays flat and receipt numbers follow the paying dates.
        after = Q()
        while bills := list(unpaid_for.filter(after)[:BATCH]):
            with transaction.atomic():
                _pay(bills, cashier, rng)
            done += len(bills)
            bar.update(len(bills))
            last_pk, last_paid_at = bills[-1][0], bills[-1][3]
            after = Q(paid_at__gt=last_paid_at) | Q(paid_at=last_paid_at, pk__gt=last_pk)
    stdout.write(f"Payments: {done} paid bills with their payments and receipts.")


def _pay(bills: list[tuple], cashier: User | None, rng: random.Random) -> None:
    payments = []
    for pk, connection_id, total, paid_at in bills:
        at_counter = cashier is not None and rng.random() < COUNTER_SHARE
        payments.append(
            Payment(
                order_id=f"DEMO-{pk:010d}",
                connection_id=connection_id,
                provider="counter" if at_counter else "sandbox",
                payment_type="cash" if at_counter else rng.choice(METHODS),
                amount=total,
                status=Payment.Status.PAID,
                cashier=cashier if at_counter else None,
                tendered=_round_up(total, rng) if at_counter else None,
                created_at=paid_at,
                paid_at=paid_at,
            )
        )
    Payment.objects.bulk_create(payments)
    PaymentBill.objects.bulk_create(
        PaymentBill(payment=payment, bill_id=bill[0], amount=payment.amount, settled=True)
        for payment, bill in zip(payments, bills, strict=True)
    )
    Receipt.objects.bulk_create(_receipts(payments))


def _receipts(payments: list[Payment]) -> list[Receipt]:
    """Numbers continue each year's counter, in the order the payments were made (the bills are sorted)."""
    by_year: dict[int, list[Payment]] = defaultdict(list)
    for payment in payments:
        by_year[timezone.localtime(payment.paid_at).year].append(payment)
    receipts = []
    for year, paid in by_year.items():
        ReceiptCounter.objects.bulk_create([ReceiptCounter(year=year)], ignore_conflicts=True)
        counter = ReceiptCounter.objects.select_for_update().get(year=year)
        for sequence, payment in enumerate(paid, start=counter.last + 1):
            number = f"{settings.RECEIPT_NUMBER_PREFIX}/{year}/{sequence:06d}"
            receipts.append(
                Receipt(payment=payment, year=year, sequence=sequence, number=number, issued_at=payment.paid_at)
            )
        counter.last += len(paid)
        counter.save(update_fields=["last"])
    return receipts


def _round_up(total: int, rng: random.Random) -> int:
    """What people hand over: the next 10,000 or 50,000 note boundary, sometimes the exact amount."""
    step = rng.choice([0, 10_000, 50_000])
    return total if step == 0 else -(-total // step) * step
