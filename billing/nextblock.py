"""The month so far: how much water a connection has used this month, where the month is heading and where the
next, dearer tariff block starts, so that a customer sees the price step coming instead of finding it on the bill.
"""

import calendar
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from accounts.models import ServiceConnection
from billing.models import MeterReading, TariffBlock
from billing.periods import add_months
from billing.tariffs import Block

RECENT_MONTHS = 3


@dataclass(frozen=True)
class MonthOutlook:
    """Usage of the current month for one connection, and the tariff blocks around it."""

    since: date  # the day the month's water is counted from: the month's opening reading, else its first day
    used: int
    measured: bool  # True: read off the meter this month; False: estimated from the recent daily average
    projected: int
    price_now: int
    next_from: int | None  # the first m³ charged at the next, higher price; None in the top block
    next_price: int | None


def block_at(blocks: Sequence[Block], usage: int) -> int | None:
    """Index of the block in which the `usage`-th m³ is charged (the first block for no usage at all)."""
    for index, block in enumerate(blocks):
        if block.to_m3 is None or max(usage, 1) <= block.to_m3:
            return index
    return None


def _daily_average(readings: Sequence[MeterReading], month: date) -> float | None:
    """m³ a day over the last complete months with a trusted usage; None without any.

    A period's reading is taken around its first day, so its usage is the water of the month before.
    """
    recent = [r for r in readings if r.period <= month and r.usage is not None][:RECENT_MONTHS]
    if not recent:
        return None
    days = sum(calendar.monthrange(m.year, m.month)[1] for m in (add_months(r.period, -1) for r in recent))
    return sum(r.usage or 0 for r in recent) / days


def _trusted(readings: Sequence[MeterReading], period: date) -> MeterReading | None:
    return next((r for r in readings if r.period == period and not r.flagged), None)


def outlook(readings: Sequence[MeterReading], blocks: Sequence[Block], today: date) -> MonthOutlook | None:
    """The month so far from a connection's readings (newest first) under its tariff's blocks (in order); None
    when nothing is known.

    This month's own reading (taken around its first day) is where the month's water starts: it measures the
    month before. When a later stand is known, read before next month's bill (the customer's own stand, sent from
    the end of the month), the water between the two is the usage so far and the rest of the month is projected at
    the recent daily average (at the month's own pace without history). Otherwise usage so far and the projection
    both come from the recent daily average.
    """
    month = today.replace(day=1)
    days_in_month = calendar.monthrange(today.year, today.month)[1]
    daily = _daily_average(readings, month)
    start, later = _trusted(readings, month), _trusted(readings, add_months(month, 1))
    if start is not None and later is not None and later.reading >= start.reading:
        used, measured, since = later.reading - start.reading, True, start.read_on
        elapsed = max((later.read_on - start.read_on).days, 1)
        pace = daily if daily is not None else used / elapsed
        projected = used + round(pace * max(days_in_month - later.read_on.day, 0))
    elif daily is not None:
        used, measured, since = round(daily * today.day), False, month
        projected = round(daily * days_in_month)
    else:
        return None
    index = block_at(blocks, used)
    if index is None:
        return None
    block = blocks[index]
    higher = next((b for b in blocks[index + 1 :] if b.price_per_m3 > block.price_per_m3), None)
    return MonthOutlook(
        since=since,
        used=used,
        measured=measured,
        projected=projected,
        price_now=block.price_per_m3,
        next_from=None if higher is None else higher.from_m3 + 1,
        next_price=None if higher is None else higher.price_per_m3,
    )


def blocks_in_force(class_ids: set[int], on: date) -> dict[int, tuple[Block, ...]]:
    """Customer class id → the blocks of its tariff in force on `on`, in one query (pages only need the blocks,
    not the fixed charges `tariffs_in_force` also reads)."""
    rows = (
        TariffBlock.objects.filter(tariff__customer_class_id__in=class_ids, tariff__effective_from__lte=on)
        .order_by("tariff__customer_class_id", "-tariff__effective_from", "from_m3")
        .values_list("tariff__customer_class_id", "tariff_id", "from_m3", "to_m3", "price_per_m3")
    )
    in_force: dict[int, int] = {}
    blocks: dict[int, list[Block]] = defaultdict(list)
    for class_id, tariff_id, from_m3, to_m3, price in rows:
        if in_force.setdefault(class_id, tariff_id) == tariff_id:
            blocks[class_id].append(Block(from_m3, to_m3, price))
    return {class_id: tuple(found) for class_id, found in blocks.items()}


def outlooks(connections: Sequence[ServiceConnection], today: date) -> dict[int, MonthOutlook]:
    """Connection id → its month outlook, for as many connections as a page shows: one query for the readings,
    one for the tariffs when any connection has readings."""
    if not connections:
        return {}
    month = today.replace(day=1)
    by_connection: dict[int, list[MeterReading]] = defaultdict(list)
    recent = MeterReading.objects.filter(
        connection_id__in=[c.pk for c in connections],
        period__gte=add_months(month, -RECENT_MONTHS),
        period__lte=add_months(month, 1),
    ).order_by("connection_id", "-period")
    for reading in recent:
        by_connection[reading.connection_id].append(reading)
    read = [c for c in connections if by_connection[c.pk]]
    if not read:
        return {}
    in_force = blocks_in_force({c.customer_class_id for c in read}, today)
    found: dict[int, MonthOutlook] = {}
    for connection in read:
        blocks = in_force.get(connection.customer_class_id)
        result = outlook(by_connection[connection.pk], blocks, today) if blocks else None
        if result is not None:
            found[connection.pk] = result
    return found
