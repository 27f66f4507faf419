"""Service-level due times. Emergencies run on the wall clock; office matters count working hours only."""

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone

from complaints.models import Category


def warn_fraction() -> float:
    """Past this share of the allowed time a ticket counts as "due soon" and its staff are warned."""
    return settings.COMPLAINTS_SLA_WARN_PERCENT / 100


def _parse_time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@lru_cache(maxsize=32)
def national_holidays(year: int) -> frozenset[date]:
    """Indonesia's public holidays of a year (the `holidays` package, which follows the government's decrees)."""
    return frozenset(holidays.country_holidays("ID", years=year))


def is_day_off(day: date) -> bool:
    """A weekend, a national public holiday, or one of the utility's own days off (COMPLAINTS_HOLIDAYS)."""
    return (
        day.isoweekday() not in settings.COMPLAINTS_WORKDAYS
        or day in national_holidays(day.year)
        or day.isoformat() in settings.COMPLAINTS_HOLIDAYS
    )


def working_day_bounds(day: date) -> tuple[datetime, datetime] | None:
    """Start and end of work on `day` in the utility's time zone, or None on a day off."""
    if is_day_off(day):
        return None
    zone = timezone.get_default_timezone()
    start = datetime.combine(day, _parse_time(settings.COMPLAINTS_WORKDAY_START), tzinfo=zone)
    end = datetime.combine(day, _parse_time(settings.COMPLAINTS_WORKDAY_END), tzinfo=zone)
    return start, end


def add_working_hours(start: datetime, hours: float) -> datetime:
    """The moment `hours` of working time after `start` (which may fall outside working hours)."""
    remaining = timedelta(hours=hours)
    moment = timezone.localtime(start)
    day = moment.date()
    # A year of closed days would mean the configuration is wrong; stop rather than loop forever.
    for _ in range(366):
        bounds = working_day_bounds(day)
        if bounds:
            opens, closes = bounds
            begin = max(moment, opens)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += timedelta(days=1)
        moment = datetime.combine(day, time.min, tzinfo=moment.tzinfo)
    raise ValueError("no working hours configured (COMPLAINTS_WORKDAYS, COMPLAINTS_WORKDAY_START/END)")


def due_after(category: Category, start: datetime, hours: float) -> datetime:
    if category.working_hours_only:
        return add_working_hours(start, hours)
    return start + timedelta(hours=hours)


def due_times(category: Category, start: datetime) -> dict[str, datetime]:
    """respond_warn_at, respond_due_at, warn_at and due_at for a ticket whose clock starts at `start`."""
    due = due_after(category, start, category.resolve_hours)
    return {
        "respond_warn_at": due_after(category, start, category.respond_hours * warn_fraction()),
        "respond_due_at": due_after(category, start, category.respond_hours),
        "warn_at": due_after(category, start, category.resolve_hours * warn_fraction()),
        "due_at": due,
    }
