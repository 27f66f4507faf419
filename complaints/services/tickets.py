"""Ticket numbers: ADU-<year>-<six digits>, gap-free and sequential per year."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.text import fold
from complaints.models import TicketCounter

PREFIX = "ADU"


def format_ticket(year: int, number: int) -> str:
    return f"{PREFIX}-{year}-{number:06d}"


def allocate_tickets(count: int = 1, *, year: int | None = None) -> list[str]:
    """Take the next `count` numbers of the year. Call inside the transaction that saves the tickets.

    The counter row is locked (select_for_update) until that transaction ends, so two reports filed at the
    same moment wait for each other instead of getting the same number; a rolled-back filing gives its
    number back.
    """
    year = year or timezone.localdate().year
    with transaction.atomic():
        try:
            with transaction.atomic():
                TicketCounter.objects.get_or_create(year=year)
        except IntegrityError:
            pass  # another transaction created this year's row a moment ago; it exists now
        counter = TicketCounter.objects.select_for_update().get(year=year)
        first = counter.last + 1
        counter.last += count
        counter.save(update_fields=["last"])
    return [format_ticket(year, number) for number in range(first, first + count)]


def normalise_ticket(raw: str) -> str:
    """What people type (`adu 2026 123`, `ADU-2026-000123`) → `ADU-2026-000123`; "" when unrecognisable."""
    parts = [part for part in "".join(ch if ch.isalnum() else " " for ch in fold(raw).upper()).split() if part]
    if parts and parts[0].startswith(PREFIX) and parts[0] != PREFIX:
        parts = [PREFIX, parts[0][len(PREFIX) :], *parts[1:]]
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1].isdecimal() or not parts[2].isdecimal():
        return ""
    if len(parts[1]) != 4 or len(parts[2]) > 9:
        return ""
    return format_ticket(int(parts[1]), int(parts[2]))
