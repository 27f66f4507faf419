"""Billing periods are months, stored as their first day; bills fall due on a fixed day of the month."""

import re
from datetime import date

from django.conf import settings

_PERIOD = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_period(text: str) -> date:
    """`YYYY-MM` → the first day of that month; ValueError for anything else."""
    match = _PERIOD.match((text or "").strip())
    if not match:
        raise ValueError(f"not a period (YYYY-MM): {text!r}")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or year < 2000:
        raise ValueError(f"not a period (YYYY-MM): {text!r}")
    return date(year, month, 1)


def add_months(period: date, months: int) -> date:
    index = period.year * 12 + period.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def due_date_for(period: date) -> date:
    """Bills of a month fall due on BILL_DUE_DAY of that month (the reading is taken at its start)."""
    return period.replace(day=settings.BILL_DUE_DAY)
