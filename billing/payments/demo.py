"""Payment history for the demo: every bill the billing demo marked paid gets the payment and receipt a real
utility would hold (cash at the counter or online), in bulk and without sending any message.

One transaction: the paid bills are streamed in paying order from one server-side cursor, and each batch's
payments, allocations and receipts go in with binary COPY on Postgres (bulk_create elsewhere)."""

import random
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from itertools import islice
from typing import TextIO

from django.conf import settings
from django.db import connection as db
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from tqdm import tqdm

from accounts.bulk import copy_rows, insert_rows, reserve_ids
from accounts.models import User
from billing.models import Bill
from billing.payments.models import Payment, PaymentBill, Receipt, ReceiptCounter
from billing.payments.sandbox.gateway import METHODS

BATCH = 10_000
COUNTER_SHARE = 0.45
PAYMENT_COLUMNS = (
    "id, order_id, connection_id, provider, payment_type, amount, status, payer_email, cashier_id, tendered, "
    "checkout_url, transaction_id, created_at, paid_at, reversal_reason, credit_reason"
)
PAYMENT_TYPES = [
    *("int8", "varchar", "int8", "varchar", "varchar", "int4", "varchar", "varchar", "int8", "int4"),
    *("varchar", "varchar", "timestamptz", "timestamptz", "text", "varchar"),
]
ALLOCATION_COLUMNS = "payment_id, bill_id, amount, settled"
ALLOCATION_TYPES = ["int8", "int8", "int4", "bool"]
RECEIPT_COLUMNS = "payment_id, year, sequence, number, issued_at, void"
RECEIPT_TYPES = ["int8", "int2", "int4", "varchar", "timestamptz", "bool"]


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
    total = unpaid_for.count()
    with transaction.atomic(), tqdm(total=total, desc="payments", unit="bill", disable=not progress) as bar:
        receipts = _Numbering()
        # In a transaction the cursor is not held open past commit, so it streams: memory stays flat.
        rows = unpaid_for.iterator(chunk_size=BATCH)
        while bills := list(islice(rows, BATCH)):
            _pay(bills, cashier.pk if cashier else None, rng, receipts)
            done += len(bills)
            bar.update(len(bills))
        receipts.save()
    stdout.write(f"Payments: {done} paid bills with their payments and receipts.")


class _Numbering:
    """Receipt numbers continue each year's counter in paying order; the counters are locked until commit."""

    def __init__(self) -> None:
        self.last: dict[int, int] = {}

    def next(self, year: int) -> int:
        if year not in self.last:
            ReceiptCounter.objects.bulk_create([ReceiptCounter(year=year)], ignore_conflicts=True)
            self.last[year] = ReceiptCounter.objects.select_for_update().get(year=year).last
        self.last[year] += 1
        return self.last[year]

    def save(self) -> None:
        for year, last in self.last.items():
            ReceiptCounter.objects.filter(year=year).update(last=last)


def _pay(bills: list[tuple], cashier_id: int | None, rng: random.Random, numbering: _Numbering) -> None:
    payments = []
    for pk, connection_id, total, paid_at in bills:
        at_counter = cashier_id is not None and rng.random() < COUNTER_SHARE
        payments.append(
            [
                0,
                f"DEMO-{pk:010d}",
                connection_id,
                "counter" if at_counter else "sandbox",
                "cash" if at_counter else rng.choice(METHODS),
                total,
                Payment.Status.PAID.value,
                "",
                cashier_id if at_counter else None,
                _round_up(total, rng) if at_counter else None,
                "",
                "",
                paid_at,
                paid_at,
                "",
                "",
            ]
        )
    if db.vendor == "postgresql":
        for payment, payment_id in zip(payments, reserve_ids("billing_payment", len(payments)), strict=True):
            payment[0] = payment_id
        copy_rows("billing_payment", PAYMENT_COLUMNS, PAYMENT_TYPES, payments)
    else:
        names = PAYMENT_COLUMNS.split(", ")[1:]  # not the id: bulk_create assigns it
        created = Payment.objects.bulk_create(Payment(**dict(zip(names, row[1:], strict=True))) for row in payments)
        for payment, made in zip(payments, created, strict=True):
            payment[0] = made.pk
    allocations = ((payment[0], bill[0], payment[5], True) for payment, bill in zip(payments, bills, strict=True))
    insert_rows(PaymentBill, ALLOCATION_COLUMNS, ALLOCATION_TYPES, allocations)
    # Numbered before the COPY starts: the first receipt of a year locks its counter, a query of its own.
    receipts = list(_receipts(payments, numbering))
    insert_rows(Receipt, RECEIPT_COLUMNS, RECEIPT_TYPES, receipts)


def _receipts(payments: list[list], numbering: _Numbering) -> Iterator[tuple]:
    for payment in payments:
        paid_at: datetime = payment[13]
        year = _year(paid_at)
        sequence = numbering.next(year)
        yield payment[0], year, sequence, f"{settings.RECEIPT_NUMBER_PREFIX}/{year}/{sequence:06d}", paid_at, False


@lru_cache(maxsize=4096)
def _year(moment: datetime) -> int:
    """The local year of a payment; the demo's payments share a handful of moments."""
    return timezone.localtime(moment).year


def _round_up(total: int, rng: random.Random) -> int:
    """What people hand over: the next 10,000 or 50,000 note boundary, sometimes the exact amount."""
    step = rng.choice([0, 10_000, 50_000])
    return total if step == 0 else -(-total // step) * step
