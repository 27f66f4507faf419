"""Tariff calculation: one pure function turns usage and a tariff into bill lines.

The bill run, the estimator and the tests all call `compute_lines`; it touches no database, so the bill
run can memoise it (there are only so many distinct usages per tariff and meter size).
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db.models import Prefetch

from billing.models import BillLine, Tariff, TariffBlock

Kind = BillLine.Kind


@dataclass(frozen=True)
class Block:
    from_m3: int
    to_m3: int | None  # None: no upper limit
    price_per_m3: int

    @property
    def label(self) -> str:
        return f"{self.from_m3}–{self.to_m3} m³" if self.to_m3 is not None else f"> {self.from_m3} m³"


@dataclass(frozen=True)
class TariffTerms:
    """A tariff as plain, hashable data."""

    tariff_id: int | None
    blocks: tuple[Block, ...]
    fixed_charges: tuple[tuple[str, int], ...]  # (meter size, Rupiah per month)
    admin_fee: int
    minimum_usage: int

    def fixed_charge(self, meter_size: str) -> int | None:
        return dict(self.fixed_charges).get(meter_size)


@dataclass(frozen=True)
class Line:
    kind: str
    description: str
    quantity: int
    unit_price: int

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label


def _overlap(lo: int, hi: int | None, start: int, end: int) -> int:
    top = end if hi is None else min(hi, end)
    return max(0, top - max(lo, start))


@lru_cache(maxsize=65536)
def compute_lines(usage: int, terms: TariffTerms, meter_size: str) -> tuple[Line, ...]:
    """The lines of a month's bill for `usage` m³ under `terms`, in the order they are printed.

    Usage is charged block by block. Below the minimum usage the missing m³ are charged as "minimum usage"
    lines at the prices of the blocks they fall in, so a customer sees what was used and what was topped
    up. Then the fixed charge for the meter size (none when the tariff has no charge for that size) and
    the administration fee.
    """
    if usage < 0:
        raise ValueError("usage cannot be negative")
    billed = max(usage, terms.minimum_usage)
    lines: list[Line] = []
    for block in terms.blocks:
        used = _overlap(block.from_m3, block.to_m3, 0, usage)
        if used:
            lines.append(Line(Kind.USAGE, block.label, used, block.price_per_m3))
    for block in terms.blocks:
        topped_up = _overlap(block.from_m3, block.to_m3, usage, billed)
        if topped_up:
            lines.append(Line(Kind.MINIMUM, block.label, topped_up, block.price_per_m3))
    fixed = terms.fixed_charge(meter_size)
    if fixed:
        lines.append(Line(Kind.FIXED, f'{meter_size}"', 1, fixed))
    if terms.admin_fee:
        lines.append(Line(Kind.ADMIN, "", 1, terms.admin_fee))
    return tuple(lines)


def total_of(lines: tuple[Line, ...]) -> int:
    return sum(line.amount for line in lines)


def terms_of(tariff: Tariff) -> TariffTerms:
    """Plain terms of a tariff whose blocks and fixed charges are prefetched (or will be queried)."""
    return TariffTerms(
        tariff_id=tariff.pk,
        blocks=tuple(Block(b.from_m3, b.to_m3, b.price_per_m3) for b in tariff.blocks.all()),
        fixed_charges=tuple(sorted((c.meter_size, c.amount) for c in tariff.fixed_charges.all())),
        admin_fee=tariff.admin_fee,
        minimum_usage=tariff.minimum_usage,
    )


def tariffs_in_force(on: date) -> dict[int, TariffTerms]:
    """Customer class id → the terms of its tariff in force on `on`, in three queries."""
    tariffs = (
        Tariff.objects.filter(effective_from__lte=on)
        .order_by("customer_class_id", "-effective_from")
        .prefetch_related(Prefetch("blocks", queryset=TariffBlock.objects.order_by("from_m3")), "fixed_charges")
    )
    in_force: dict[int, TariffTerms] = {}
    for tariff in tariffs:
        in_force.setdefault(tariff.customer_class_id, terms_of(tariff))
    return in_force
