"""The 12-month usage chart, drawn on the server as SVG geometry (no JavaScript needed)."""

from dataclasses import dataclass
from datetime import date

from billing.models import Bill
from billing.periods import add_months

WIDTH, HEIGHT, BASELINE = 360, 180, 150
BAR_GAP = 6


@dataclass(frozen=True)
class Bar:
    period: date
    usage: int | None
    estimated: bool
    x: float
    y: float
    width: float
    height: float
    label_x: float

    @property
    def value_y(self) -> float:
        return self.y - 4


def recent_usage(connection_id: int, months: int = 12, until: date | None = None) -> list[tuple[date, int, bool]]:
    """(period, m³, estimated) of a connection's live bills, newest first, the last `months` up to `until`: one
    query. A replaced bill's usage is its replacement's, so void bills are left out."""
    bills = Bill.objects.filter(connection_id=connection_id).exclude(status=Bill.Status.VOID)
    if until is not None:
        bills = bills.filter(period__lte=until)
    return list(bills.order_by("-period").values_list("period", "usage", "estimated")[:months])


def usage_bars(usages: dict[date, tuple[int, bool]], last_period: date, months: int = 12) -> list[Bar]:
    """One bar per month ending with `last_period`; months without a bill have no bar but keep their slot."""
    periods = [add_months(last_period, -n) for n in range(months - 1, -1, -1)]
    peak = max((usages[p][0] for p in periods if p in usages), default=0) or 1
    slot = WIDTH / months
    bars = []
    for index, period in enumerate(periods):
        usage, estimated = usages.get(period, (None, False))
        height = (usage or 0) / peak * (BASELINE - 20)
        x = index * slot + BAR_GAP / 2
        bars.append(
            Bar(period, usage, estimated, x, BASELINE - height, slot - BAR_GAP, height, x + (slot - BAR_GAP) / 2)
        )
    return bars
