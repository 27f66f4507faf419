"""Today's figures on the staff home: each is a number, what it means, and the list it comes from."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from accounts.formatting import rupiah
from billing.models import Bill


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    url: str = ""
    urgent: bool = False


def todays_figures(today: date) -> list[Figure]:
    """The figures of every app that is part of the portal, in a fixed number of queries."""
    return [*_arrears(today)]


def _arrears(today: date) -> list[Figure]:
    # Overdue open bills: the partial index on open bills' due dates serves this.
    overdue = Bill.objects.filter(status=Bill.Status.OPEN, due_date__lt=today).aggregate(
        total=Sum("total"), connections=Count("connection", distinct=True)
    )
    return [
        Figure(_("Arrears (overdue bills)"), rupiah(overdue["total"] or 0), urgent=bool(overdue["total"])),
        Figure(_("Connections in arrears"), str(overdue["connections"])),
    ]
