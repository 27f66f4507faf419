"""Today's figures on the staff home: each is a number, what it means, and the list it comes from."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.formatting import rupiah
from accounts.models import User
from billing.models import Bill
from billing.payments.reports import cash_report
from complaints.models import Complaint, Outage, SlaState, breached_q, due_soon_q


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    url: str = ""
    urgent: bool = False


def todays_figures(today: date, user: User) -> list[Figure]:
    """The figures of every app that is part of the portal, in a fixed number of queries; links only where the
    user may open the list."""
    now = timezone.now()
    return [*_collections(today, user), *_complaints(now, user), *_outages(now, user), *_arrears(today)]


def _collections(today: date, user: User) -> list[Figure]:
    """Money received today per channel, counted as the cash report counts it (reversed and overpaid payments
    included), and the overpayments among it apart: money to refund, not bills paid."""
    report = cash_report(today)
    url = reverse("payments:cash-report") if user.has_perm("billing.view_cash_report") else ""
    figures = [
        Figure(
            _("Collected today: %(channel)s (%(count)d payments)") % {"channel": _channel(provider), "count": count},
            rupiah(total),
            url,
        )
        for provider, count, total in report.by_provider()
    ]
    if report.overpaid_count:
        credits = reverse("payments:credits") if user.has_perm("billing.reverse_payment") else ""
        figures.append(
            Figure(
                _("Of which overpaid, to refund (%(count)d payments)") % {"count": report.overpaid_count},
                rupiah(report.overpaid),
                credits,
                urgent=True,
            )
        )
    return figures or [Figure(_("Collected today"), rupiah(0), url)]


def _channel(provider: str) -> str:
    return _("cash at the counter") if provider == "counter" else _("online (%(provider)s)") % {"provider": provider}


def _complaints(now: datetime, user: User) -> list[Figure]:
    """Open tickets by service-level state, as the complaints queue filters them (`?sla=`)."""
    counts = Complaint.objects.open().aggregate(
        breached=Count("pk", filter=breached_q(now)), due_soon=Count("pk", filter=due_soon_q(now)), open=Count("pk")
    )
    queue = reverse("complaints_staff:queue") if user.has_perm("complaints.view_complaint") else ""
    return [
        Figure(_("Open complaints"), str(counts["open"]), queue),
        Figure(
            _("Complaints past their deadline"),
            str(counts["breached"]),
            queue and f"{queue}?sla={SlaState.BREACHED}",
            urgent=bool(counts["breached"]),
        ),
        Figure(_("Complaints due soon"), str(counts["due_soon"]), queue and f"{queue}?sla={SlaState.DUE_SOON}"),
    ]


def _outages(now: datetime, user: User) -> list[Figure]:
    ongoing = Outage.objects.filter(status=Outage.Status.PUBLISHED, starts_at__lte=now).count()
    url = reverse("complaints_staff:outages") if user.has_perm("complaints.manage_outage") else ""
    return [Figure(_("Outages now"), str(ongoing), url, urgent=bool(ongoing))]


ARREARS_CACHE_SECONDS = 60


def _arrears(today: date) -> list[Figure]:
    # Overdue open bills, city-wide: the partial index on open bills' due dates serves this, but it still reads
    # every overdue bill (3 ms at 100,000 connections, about ten times that at 1,000,000) and is the same for
    # all staff, so it is computed at most once a minute; payments show in it within that minute.
    key = f"staff-home:arrears:{today.isoformat()}"
    overdue = cache.get(key)
    if overdue is None:
        overdue = Bill.objects.filter(status=Bill.Status.OPEN, due_date__lt=today).aggregate(
            total=Sum("total"), connections=Count("connection", distinct=True)
        )
        cache.set(key, overdue, ARREARS_CACHE_SECONDS)
    return [
        Figure(_("Arrears (overdue bills)"), rupiah(overdue["total"] or 0), urgent=bool(overdue["total"])),
        Figure(_("Connections in arrears"), str(overdue["connections"])),
    ]
