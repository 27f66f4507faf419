"""The end-of-day cash report: what each cashier and each channel took on a day, for reconciliation."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.models import User
from billing.payments.methods import method_label
from billing.payments.models import Payment
from billing.payments.providers.counter import CounterProvider

Status = Payment.Status
RECEIVED = (Status.PAID, Status.REVERSED, Status.CREDIT, Status.REFUNDED)
OVERPAID = (Status.CREDIT, Status.REFUNDED)  # money received for bills already paid another way: to refund


@dataclass(frozen=True)
class Row:
    cashier: str
    provider: str
    payment_type: str
    count: int
    total: int
    reversed: int
    overpaid: int
    overpaid_count: int

    @property
    def channel(self) -> str:
        """ "Cash" at the counter, "QRIS (sandbox)" online: the method in words, the gateway for reconciling."""
        method = method_label(self.payment_type) or "-"
        return method if self.provider == CounterProvider.identifier else f"{method} ({self.provider})"

    @property
    def net(self) -> int:
        return self.total - self.reversed


@dataclass(frozen=True)
class CashReport:
    day: date
    rows: list[Row]

    @property
    def count(self) -> int:
        return sum(row.count for row in self.rows)

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def reversed(self) -> int:
        return sum(row.reversed for row in self.rows)

    @property
    def net(self) -> int:
        return self.total - self.reversed

    @property
    def overpaid(self) -> int:
        return sum(row.overpaid for row in self.rows)

    @property
    def overpaid_count(self) -> int:
        return sum(row.overpaid_count for row in self.rows)

    def by_provider(self) -> list[tuple[str, int, int]]:
        """(provider, payments, amount received) per provider, in provider order: the staff home's figures."""
        totals: dict[str, tuple[int, int]] = {}
        for row in self.rows:
            count, total = totals.get(row.provider, (0, 0))
            totals[row.provider] = (count + row.count, total + row.total)
        return [(provider, *totals[provider]) for provider in sorted(totals)]


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def cash_report(day: date, *, cashier: User | None = None) -> CashReport:
    """Payments received on `day` (utility time) per cashier and channel, in one query.

    Reversals are counted against the day the money was taken, so a reversed payment shows in both columns;
    overpayments (money for bills already paid, to refund) are received money and also shown apart.
    """
    start, end = _day_bounds(day)
    payments = Payment.objects.filter(paid_at__gte=start, paid_at__lt=end, status__in=RECEIVED)
    if cashier is not None:
        payments = payments.filter(cashier=cashier)
    grouped = (
        payments.values("cashier__full_name", "provider", "payment_type")
        .annotate(
            count=Count("pk"),
            total=Sum("amount"),
            reversed=Sum("amount", filter=Q(status=Status.REVERSED), default=0),
            overpaid=Sum("amount", filter=Q(status__in=OVERPAID), default=0),
            overpaid_count=Count("pk", filter=Q(status__in=OVERPAID)),
        )
        .order_by("cashier__full_name", "provider", "payment_type")
    )
    rows = [
        Row(
            cashier=entry["cashier__full_name"] or "",
            provider=entry["provider"],
            payment_type=entry["payment_type"],
            count=entry["count"],
            total=entry["total"],
            reversed=entry["reversed"],
            overpaid=entry["overpaid"],
            overpaid_count=entry["overpaid_count"],
        )
        for entry in grouped
    ]
    return CashReport(day, rows)


def as_csv(report: CashReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "cashier", "channel", "payments", "total", "reversed", "net", "overpaid"])
    day = report.day.isoformat()
    for row in report.rows:
        writer.writerow([day, row.cashier, row.channel, row.count, row.total, row.reversed, row.net, row.overpaid])
    writer.writerow([day, "TOTAL", "", report.count, report.total, report.reversed, report.net, report.overpaid])
    return out.getvalue()
