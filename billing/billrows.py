"""The rows a bill run writes: bills as named tuples in billing_bill's COPY column order, and their lines."""

from datetime import date, datetime
from typing import NamedTuple

from django.db import connection as db

from accounts.bulk import copy_rows
from billing.models import Bill, BillLine


class BillRow(NamedTuple):
    """One bill as the run writes it: the columns of billing_bill in COPY order (a tuple, so COPY takes it as is)."""

    id: int
    connection_id: int
    period: date
    tariff_id: int | None
    previous_reading: int | None
    current_reading: int | None
    usage: int
    estimated: bool
    total: int
    due_date: date
    status: str
    issued_at: datetime
    paid_at: datetime | None = None  # set when credit from earlier payments covers the whole bill


# A bill line without its bill: position, kind, description, quantity, unit price, amount.
LineTail = tuple[int, str, str, int, int, int]
LINE_FIELDS = ("position", "kind", "description", "quantity", "unit_price", "amount")

BILL_COLUMNS = ", ".join(BillRow._fields)
BILL_TYPES = [
    "int8",
    "int8",
    "date",
    "int8",
    "int4",
    "int4",
    "int4",
    "bool",
    "int4",
    "date",
    "varchar",
    "timestamptz",
    "timestamptz",
]
LINE_COLUMNS = ", ".join(("bill_id", *LINE_FIELDS))
LINE_TYPES = ["int8", "int2", "varchar", "varchar", "int4", "int4", "int4"]


def bill_line(bill_id: int, tail: LineTail) -> BillLine:
    """The model row of a line of the bill `bill_id`."""
    return BillLine(bill_id=bill_id, **dict(zip(LINE_FIELDS, tail, strict=True)))


def write_rows(bills: list[BillRow], lines: list[tuple[LineTail, ...]]) -> list[int]:
    """Insert the bills and, for each, its lines: binary COPY on Postgres (ids reserved beforehand), else
    bulk_create. Returns the bills' ids in order."""
    return (_copy if db.vendor == "postgresql" else _bulk_create)(bills, lines)


def _copy(bills: list[BillRow], lines: list[tuple[LineTail, ...]]) -> list[int]:
    copy_rows("billing_bill", BILL_COLUMNS, BILL_TYPES, bills)
    copy_rows(
        "billing_billline",
        LINE_COLUMNS,
        LINE_TYPES,
        ((bill.id, *tail) for bill, tails in zip(bills, lines, strict=True) for tail in tails),
    )
    return [bill.id for bill in bills]


def _bulk_create(bills: list[BillRow], lines: list[tuple[LineTail, ...]]) -> list[int]:
    # Not the id: bulk_create assigns it.
    created = Bill.objects.bulk_create(Bill(**bill._asdict() | {"id": None}) for bill in bills)
    BillLine.objects.bulk_create(
        (bill_line(bill.pk, tail) for bill, tails in zip(created, lines, strict=True) for tail in tails),
        batch_size=2000,
    )
    return [bill.pk for bill in created]
