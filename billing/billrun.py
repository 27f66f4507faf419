"""The monthly bill run: one bill per active connection and period, created in bulk, batch by batch.

Idempotent and resumable: each batch is one transaction that locks the period's `BillRun` row, skips
connections already billed, inserts the rest and advances the run's cursor. An interrupted run continues
from its cursor; a second run of a finished period re-checks every connection and creates nothing; two
concurrent runs take turns per batch (the unique constraint on connection+period is the last line of
defence). On Postgres the rows go in with binary COPY, and outside a transaction the next batch is read
and priced on a second connection while this one writes (`_pipelined`); elsewhere with bulk_create.

A connection's credit (billing/credit.py) is used on its new bill under the same lock, read for the whole
batch in one query. A replaced (void) bill counts as billed, like its replacement for the same period, and
its usage never counts twice in an estimate.
"""

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db import connection as db
from django.db import connections, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts.bulk import reserve_ids
from accounts.models import ServiceConnection, User
from billing import credit
from billing.billrows import BillRow, LineTail, write_rows
from billing.models import Bill, BillRun, MeterReading
from billing.periods import add_months, due_date_for
from billing.runlock import announce_run
from billing.tariffs import Line, TariffTerms, compute_lines, tariffs_in_force


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
    beside_another: bool = False  # another run of the period was in progress; they took turns per batch
    last_connection_id: int = 0
    seen: int = 0

    def add(self, other: "RunSummary") -> None:
        for name in ("created", "skipped", "estimated", "flagged", "no_tariff", "total_amount", "seen"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@lru_cache(maxsize=65536)
def line_tails(lines: tuple[Line, ...]) -> tuple[LineTail, ...]:
    return tuple(
        (position, line.kind, line.description, line.quantity, line.unit_price, line.amount)
        for position, line in enumerate(lines)
    )


class _Prices:
    """Lines and total per (class, meter size, usage), computed once per run: a month's usages repeat."""

    def __init__(self, tariffs: dict[int, TariffTerms]) -> None:
        self.tariffs = tariffs
        self.cache: dict[tuple[int, str, int], tuple[tuple[LineTail, ...], int]] = {}

    def __call__(self, class_id: int, meter_size: str, usage: int) -> tuple[tuple[LineTail, ...], int]:
        key = (class_id, meter_size, usage)
        priced = self.cache.get(key)
        if priced is None:
            lines = compute_lines(usage, self.tariffs[class_id], meter_size)
            priced = self.cache[key] = (line_tails(lines), sum(line.amount for line in lines))
        return priced


def estimate_usage(total: int, months: int) -> int:
    """Average of the months that have a bill, rounded half up; 0 without history (the minimum applies)."""
    return (2 * total + months) // (2 * months) if months else 0


@dataclass
class _Batch:
    """The active connections after `start` up to `summary.last_connection_id`, priced and ready to write."""

    start: int
    summary: RunSummary
    bills: list[BillRow]
    lines: list[tuple[LineTail, ...]]


def _lock_run(period: date) -> BillRun:
    if db.vendor == "postgresql":
        with db.cursor() as cursor:
            # A batch lost in a crash is redone by resuming; waiting for the WAL flush buys nothing.
            cursor.execute("SET LOCAL synchronous_commit = off")
    return BillRun.objects.select_for_update().get(period=period)


def _resume_from(run: BillRun, position: int) -> int:
    """Where the next batch starts: after this call's last batch, or after a concurrent run's if further."""
    return max(position, run.last_connection_id) if run.status == BillRun.Status.RUNNING else position


def _prepare(period: date, position: int, batch_size: int, prices: _Prices) -> _Batch | None:
    """Read and price the next batch of active connections after `position`; None when there are none."""
    rows = list(
        ServiceConnection.objects.filter(status=ServiceConnection.Status.ACTIVE, pk__gt=position)
        .order_by("pk")
        .values_list("pk", "customer_class_id", "meter_size")[:batch_size]
    )
    if not rows:
        return None
    billed = _billed(period, rows[0][0], rows[-1][0])
    todo = [row for row in rows if row[0] not in billed]
    summary = RunSummary(period, last_connection_id=rows[-1][0], seen=len(rows), skipped=len(rows) - len(todo))
    batch = _Batch(position, summary, [], [])
    if todo:
        _price(period, todo, prices, batch)
    if batch.bills and db.vendor == "postgresql":
        ids = reserve_ids("billing_bill", len(batch.bills))
        batch.bills = [bill._replace(id=bill_id) for bill, bill_id in zip(batch.bills, ids, strict=True)]
    return batch


def _write(run: BillRun, batch: _Batch, *, recheck: bool) -> None:
    """Insert the batch's bills and lines and advance the run, under the lock on the run's row.

    `recheck`: the batch was read before the lock was taken, so bills created since then (outside any
    run, or by a concurrent re-run of a finished period) are dropped here rather than duplicated.
    """
    summary, bills, lines = batch.summary, batch.bills, batch.lines
    if recheck and bills and (billed := _billed(run.period, bills[0].connection_id, bills[-1].connection_id)):
        dropped = [bill for bill in bills if bill.connection_id in billed]
        summary.skipped += len(dropped)
        summary.estimated -= sum(bill.estimated for bill in dropped)
        summary.total_amount -= sum(bill.total for bill in dropped)
        kept = [i for i, bill in enumerate(bills) if bill.connection_id not in billed]
        bills, lines = [bills[i] for i in kept], [lines[i] for i in kept]
    summary.created = len(bills)
    if bills:
        lines = list(lines)
        bills, used = credit.apply_to_batch(bills, lines)
        credit.record_batch(bills, write_rows(bills, lines), used)
    BillRun.objects.filter(pk=run.pk).update(
        last_connection_id=Greatest(F("last_connection_id"), summary.last_connection_id),
        created=F("created") + summary.created,
        estimated=F("estimated") + summary.estimated,
        flagged=F("flagged") + summary.flagged,
        total_amount=F("total_amount") + summary.total_amount,
    )


def _in_turn(period: date, position: int, batch_size: int, prices: _Prices) -> Iterator[RunSummary]:
    """One transaction per batch, read, priced and written under the lock on the run's row."""
    while True:
        with transaction.atomic():
            run = _lock_run(period)
            batch = _prepare(period, _resume_from(run, position), batch_size, prices)
            if batch is None:
                return
            _write(run, batch, recheck=False)
        position = batch.summary.last_connection_id
        yield batch.summary


def _pipelined(period: date, position: int, batch_size: int, prices: _Prices) -> Iterator[RunSummary]:
    """Like `_in_turn`, but batch N+1 is read and priced on a second connection while batch N is copied
    and committed (the deferred foreign-key checks run at commit): Python and Postgres work in parallel.

    Under the lock, a batch read ahead is written only if it starts where the run's cursor says; if a
    concurrent run moved the cursor meanwhile, the batch is read again under the lock as in `_in_turn`.
    Bills created since it was read are dropped by `_write(recheck=True)`.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bill-run") as helper:
        try:
            ahead = helper.submit(_prepare, period, position, batch_size, prices)
            while (batch := ahead.result()) is not None:
                ahead = helper.submit(_prepare, period, batch.summary.last_connection_id, batch_size, prices)
                with transaction.atomic():
                    run = _lock_run(period)
                    start = _resume_from(run, position)
                    if batch.start == start:
                        _write(run, batch, recheck=True)
                    else:
                        batch = _prepare(period, start, batch_size, prices)
                        if batch is None:
                            return
                        _write(run, batch, recheck=False)
                position = batch.summary.last_connection_id
                yield batch.summary
        finally:
            helper.submit(connections.close_all)  # run in the helper thread: closes its own connection


def _billed(period: date, first: int, last: int) -> set[int]:
    """Connections in [first, last] that already have a bill for `period`.

    One range scan of the (connection, period) index per batch. Not an EXISTS per connection: the
    planner's estimate for the new period is stale while the run fills it (no bills at the last
    ANALYZE), so it hashed the whole period's bills for every batch: quadratic, 47 of the 100 s of a
    1,000,000-connection run (bench/README.md).
    """
    bills = Bill.objects.filter(period=period, connection_id__gte=first, connection_id__lte=last).order_by()
    return set(bills.values_list("connection_id", flat=True))


def _history(period: date, connection_ids: list[int]) -> dict[int, int]:
    if not connection_ids:
        return {}
    rows = (
        Bill.objects.filter(connection_id__in=connection_ids, period__gte=add_months(period, -3), period__lt=period)
        .exclude(status=Bill.Status.VOID)  # a replaced bill's usage is counted in its replacement
        .order_by()  # Bill's default ordering would join the connections and sort
        .values("connection_id")
        .annotate(total=Sum("usage"), months=Count("id"))
        .values_list("connection_id", "total", "months")
    )
    return {cid: estimate_usage(total, months) for cid, total, months in rows}


def _price(period: date, todo: list[tuple[int, int, str]], prices: _Prices, batch: _Batch) -> None:
    summary = batch.summary
    readings = {
        cid: (previous, current, usage, flagged)
        for cid, previous, current, usage, flagged in MeterReading.objects.filter(
            period=period, connection_id__gte=todo[0][0], connection_id__lte=todo[-1][0]
        ).values_list("connection_id", "previous_reading", "reading", "usage", "flagged")
    }
    estimates = _history(period, [row[0] for row in todo if row[0] not in readings])
    due, issued_at = due_date_for(period), timezone.now()
    for cid, class_id, meter_size in todo:
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
            previous, current, read_usage, flagged = reading
            if flagged or read_usage is None:
                summary.flagged += 1
                continue
            usage, estimated = read_usage, False
        tails, total = prices(class_id, meter_size, usage)
        summary.total_amount += total
        batch.bills.append(
            BillRow(
                id=0,
                connection_id=cid,
                period=period,
                tariff_id=terms.tariff_id,
                previous_reading=previous,
                current_reading=current,
                usage=usage,
                estimated=estimated,
                total=total,
                due_date=due,
                status=Bill.Status.OPEN.value,
                issued_at=issued_at,
            )
        )
        batch.lines.append(tails)


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
    back for a flagged reading or for want of a tariff, and the amount billed; and whether it resumed an
    interrupted run or worked beside one still in progress.
    """
    with announce_run(period) as beside_another:
        run, created = BillRun.objects.get_or_create(period=period, defaults={"started_by": started_by})
        unfinished = not created and run.status == BillRun.Status.RUNNING
        summary = RunSummary(period, resumed=unfinished and not beside_another, beside_another=beside_another)
        prices = _Prices(tariffs_in_force(period))
        # In a transaction (tests, the demo seeding) a second connection would not see its rows.
        pipelined = db.vendor == "postgresql" and not db.in_atomic_block
        batches = (_pipelined if pipelined else _in_turn)(period, _resume_from(run, 0), batch_size, prices)
        for batch in batches:
            summary.add(batch)
            if progress:
                progress(batch.seen)
        BillRun.objects.filter(pk=run.pk, status=BillRun.Status.RUNNING).update(
            status=BillRun.Status.FINISHED, finished_at=timezone.now()
        )
    return summary
