"""The monthly bill run: one bill per active connection and period, created in bulk, batch by batch.

Idempotent and resumable: each batch is one transaction that locks the period's `BillRun` row, skips
connections already billed, inserts the rest and advances the run's cursor. An interrupted run continues
from its cursor; a second run of a finished period re-checks every connection and creates nothing; two
concurrent runs take turns per batch (the unique constraint on connection+period is the last line of
defence). On Postgres the rows go in with binary COPY; elsewhere with bulk_create.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db import connection as db
from django.db import transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts.models import ServiceConnection, User
from billing.models import Bill, BillLine, BillRun, MeterReading
from billing.periods import add_months, due_date_for
from billing.tariffs import Line, TariffTerms, compute_lines, tariffs_in_force

BILL_COLUMNS = (
    "id, connection_id, period, tariff_id, previous_reading, current_reading, usage, estimated, total, "
    "due_date, status, issued_at"
)
BILL_TYPES = ["int8", "int8", "date", "int8", "int4", "int4", "int4", "bool", "int4", "date", "varchar", "timestamptz"]
LINE_COLUMNS = "bill_id, position, kind, description, quantity, unit_price, amount"
LINE_TYPES = ["int8", "int2", "varchar", "varchar", "int4", "int4", "int4"]


@dataclass
class RunSummary:
    period: date
    created: int = 0
    skipped: int = 0
    estimated: int = 0
    flagged: int = 0
    no_tariff: int = 0
    total_amount: int = 0
    resumed: bool = False
    last_connection_id: int = 0
    seen: int = 0

    def add(self, other: "RunSummary") -> None:
        for name in ("created", "skipped", "estimated", "flagged", "no_tariff", "total_amount", "seen"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@lru_cache(maxsize=65536)
def _line_tails(lines: tuple[Line, ...]) -> tuple[tuple, ...]:
    return tuple(
        (position, line.kind, line.description, line.quantity, line.unit_price, line.amount)
        for position, line in enumerate(lines)
    )


class _Prices:
    """Lines and total per (class, meter size, usage), computed once per run: a month's usages repeat."""

    def __init__(self, tariffs: dict[int, TariffTerms]) -> None:
        self.tariffs = tariffs
        self.cache: dict[tuple[int, str, int], tuple[tuple[tuple, ...], int]] = {}

    def __call__(self, class_id: int, meter_size: str, usage: int) -> tuple[tuple[tuple, ...], int]:
        key = (class_id, meter_size, usage)
        priced = self.cache.get(key)
        if priced is None:
            lines = compute_lines(usage, self.tariffs[class_id], meter_size)
            priced = self.cache[key] = (_line_tails(lines), sum(line.amount for line in lines))
        return priced


def estimate_usage(total: int, months: int) -> int:
    """Average of the months that have a bill, rounded half up; 0 without history (the minimum applies)."""
    return (2 * total + months) // (2 * months) if months else 0


def _next_batch(period: date, position: int, batch_size: int, prices: _Prices) -> RunSummary | None:
    """Bill the next batch of active connections after `position` in one transaction; None when done.

    The batch is read under the lock on the run's row, so a concurrent run sees this batch's bills as
    already billed once it gets the lock.
    """
    with transaction.atomic():
        if db.vendor == "postgresql":
            with db.cursor() as cursor:
                # A batch lost in a crash is redone by resuming; waiting for the WAL flush buys nothing.
                cursor.execute("SET LOCAL synchronous_commit = off")
        run = BillRun.objects.select_for_update().get(period=period)
        if run.status == BillRun.Status.RUNNING:
            position = max(position, run.last_connection_id)
        rows = list(
            ServiceConnection.objects.filter(status=ServiceConnection.Status.ACTIVE, pk__gt=position)
            .order_by("pk")
            .values_list("pk", "customer_class_id", "meter_size")[:batch_size]
        )
        if not rows:
            return None
        billed = _billed(period, rows[0][0], rows[-1][0])
        rows = [(*row, row[0] in billed) for row in rows]
        batch = RunSummary(period, last_connection_id=rows[-1][0], seen=len(rows))
        _bill_batch(period, rows, prices, batch)
        BillRun.objects.filter(pk=run.pk).update(
            last_connection_id=Greatest(F("last_connection_id"), batch.last_connection_id),
            created=F("created") + batch.created,
            estimated=F("estimated") + batch.estimated,
            flagged=F("flagged") + batch.flagged,
            total_amount=F("total_amount") + batch.total_amount,
        )
        return batch


def _billed(period: date, first: int, last: int) -> set[int]:
    """Connections in [first, last] that already have a bill for `period`.

    One range scan of the (connection, period) index per batch. Not an EXISTS per connection: the
    planner's estimate for the new period is stale while the run fills it (no bills at the last
    ANALYZE), so it hashed the whole period's bills for every batch: quadratic, 47 of the 100 s of a
    1,000,000-connection run (bench/README.md).
    """
    bills = Bill.objects.filter(period=period, connection_id__gte=first, connection_id__lte=last)
    return set(bills.values_list("connection_id", flat=True))


def _history(period: date, connection_ids: list[int]) -> dict[int, int]:
    if not connection_ids:
        return {}
    rows = (
        Bill.objects.filter(connection_id__in=connection_ids, period__gte=add_months(period, -3), period__lt=period)
        .order_by()  # no join for the default ordering by connection
        .values("connection_id")
        .annotate(total=Sum("usage"), months=Count("id"))
        .values_list("connection_id", "total", "months")
    )
    return {cid: estimate_usage(total, months) for cid, total, months in rows}


def _bill_batch(period: date, rows: list[tuple], prices: _Prices, summary: RunSummary) -> None:
    todo = [row for row in rows if not row[3]]
    summary.skipped += len(rows) - len(todo)
    if not todo:
        return
    readings = {
        cid: (previous, current, usage, flagged)
        for cid, previous, current, usage, flagged in MeterReading.objects.filter(
            period=period, connection_id__gte=todo[0][0], connection_id__lte=todo[-1][0]
        ).values_list("connection_id", "previous_reading", "reading", "usage", "flagged")
    }
    estimates = _history(period, [row[0] for row in todo if row[0] not in readings])
    due, issued_at = due_date_for(period), timezone.now()
    bills: list[tuple] = []
    lines: list[tuple[tuple, ...]] = []
    for cid, class_id, meter_size, _billed in todo:
        terms = prices.tariffs.get(class_id)
        if terms is None:
            summary.no_tariff += 1
            continue
        reading = readings.get(cid)
        if reading is None:
            previous = current = None
            usage, estimated = estimates.get(cid, 0), True
            summary.estimated += 1
        else:
            previous, current, usage, flagged = reading
            if flagged or usage is None:
                summary.flagged += 1
                continue
            estimated = False
        tails, total = prices(class_id, meter_size, usage)
        summary.total_amount += total
        bills.append(
            [0, cid, period, terms.tariff_id, previous, current, usage, estimated, total, due, "open", issued_at]
        )
        lines.append(tails)
    summary.created += len(bills)
    if bills:
        (_copy_rows if db.vendor == "postgresql" else _bulk_create_rows)(bills, lines)


def _copy_rows(bills: list[list], lines: list[tuple[tuple, ...]]) -> None:
    with db.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor: COPY is not part of Django's cursor API
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('billing_bill', 'id')) FROM generate_series(1, %s)", [len(bills)]
        )
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.copy(f"COPY billing_bill ({BILL_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(BILL_TYPES)
            for bill_id, bill in zip(ids, bills, strict=True):
                bill[0] = bill_id
                copy.write_row(bill)
        with cursor.copy(f"COPY billing_billline ({LINE_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(LINE_TYPES)
            write = copy.write_row
            for bill_id, tails in zip(ids, lines, strict=True):
                for tail in tails:
                    write((bill_id, *tail))


def _bulk_create_rows(bills: list[list], lines: list[tuple[tuple, ...]]) -> None:
    created = Bill.objects.bulk_create(
        Bill(
            connection_id=b[1],
            period=b[2],
            tariff_id=b[3],
            previous_reading=b[4],
            current_reading=b[5],
            usage=b[6],
            estimated=b[7],
            total=b[8],
            due_date=b[9],
            issued_at=b[11],
        )
        for b in bills
    )
    fields = ("position", "kind", "description", "quantity", "unit_price", "amount")
    BillLine.objects.bulk_create(
        (
            BillLine(bill_id=bill.pk, **dict(zip(fields, tail, strict=True)))
            for bill, tails in zip(created, lines, strict=True)
            for tail in tails
        ),
        batch_size=2000,
    )


def pending_connections(period: date) -> int:
    """How many active connections the run of `period` still has to look at (for a progress bar)."""
    run = BillRun.objects.filter(period=period, status=BillRun.Status.RUNNING).first()
    start = run.last_connection_id if run else 0
    return ServiceConnection.objects.filter(status=ServiceConnection.Status.ACTIVE, pk__gt=start).count()


def run_bill_run(
    period: date,
    *,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
    started_by: User | None = None,
) -> RunSummary:
    """Bill every active connection for `period`; safe to call again, concurrently or after a crash.

    Returns what this call did: bills created, connections skipped as already billed, estimated, held
    back for a flagged reading or for want of a tariff, and the amount billed.
    """
    run, created = BillRun.objects.get_or_create(period=period, defaults={"started_by": started_by})
    summary = RunSummary(period, resumed=not created and run.status == BillRun.Status.RUNNING)
    prices = _Prices(tariffs_in_force(period))
    position = 0
    while batch := _next_batch(period, position, batch_size, prices):
        summary.add(batch)
        position = batch.last_connection_id
        if progress:
            progress(batch.seen)
    BillRun.objects.filter(pk=run.pk, status=BillRun.Status.RUNNING).update(
        status=BillRun.Status.FINISHED, finished_at=timezone.now()
    )
    return summary
