"""Celery tasks of billing: thin wrappers around the services, named explicitly for beat."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from billing import ebill, jobs, readings_import, self_readings
from billing.billrun import run_bill_run
from billing.periods import parse_period


# A big run outlives the default limits; if it is still cut short, the next call resumes it.
@shared_task(name="billing.run_bill_run", soft_time_limit=3 * 3600, time_limit=3 * 3600 + 60)
def run_bill_run_task(period: str) -> int:
    """Bill a period given as YYYY-MM, then send the e-bills; returns the number of bills created."""
    month = parse_period(period)
    created = run_bill_run(month).created
    ebill.send_ebills(month)
    return created


@shared_task(name="billing.run_current_period", soft_time_limit=3 * 3600, time_limit=3 * 3600 + 60)
def run_current_period() -> int:
    """Beat: bill the current month once its readings are in (scheduled a few days into the month)."""
    month = timezone.localdate().replace(day=1)
    created = run_bill_run(month).created
    ebill.send_ebills(month)
    return created


@shared_task(name="billing.apply_late_fees")
def apply_late_fees() -> int:
    return jobs.apply_late_fees(timezone.localdate())


@shared_task(name="billing.send_due_reminders")
def send_due_reminders() -> int:
    return jobs.send_due_reminders(timezone.localdate())


# A large file takes minutes: longer limits than the default, like the bill run.
@shared_task(name="billing.import_readings", soft_time_limit=3600, time_limit=3600 + 60)
def import_readings_task(import_id: int) -> None:
    readings_import.run_import(import_id)


@shared_task(name="billing.discard_stale_self_reading_drafts")
def discard_stale_self_reading_drafts() -> int:
    return self_readings.discard_stale_drafts(timedelta(days=1))
