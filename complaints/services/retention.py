"""How long an anonymous reporter's name and contact details are kept (UU PDP 27/2022: no longer than needed).

A resident who reported without a portal account left a name, a mobile number and maybe an e-mail address so
that we could answer. Once their ticket has been closed (closed, rejected or a duplicate) for
COMPLAINTS_REPORTER_RETENTION_MONTHS, those go from the ticket and from the ticket's sent messages; the ticket
itself, its timeline and photos stay as the utility's record of the fault.
"""

import datetime
import logging
from calendar import monthrange

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts import audit
from accounts.models import Notification
from complaints.models import Complaint

log = logging.getLogger(__name__)

# Kept in step with the partial index `complaint_reporter_to_forget`, which serves exactly this filter.
ANONYMOUS_WITH_CONTACT = Q(reporter__isnull=True, status__in=Complaint.FINAL_STATUSES) & ~Q(
    reporter_name="", reporter_phone="", reporter_email=""
)


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the month's last day)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def due_for_forgetting(now: datetime.datetime | None = None) -> QuerySet[Complaint]:
    """Anonymous reporters' tickets closed for longer than the retention period that still hold contact data.

    A closed ticket's last change is its closing (reporters cannot add to it afterwards), or a later staff
    note, so counting from `updated_at` never removes details earlier than the rule says.
    """
    limit = months_before(now or timezone.now(), settings.COMPLAINTS_REPORTER_RETENTION_MONTHS)
    return Complaint.objects.filter(ANONYMOUS_WITH_CONTACT, updated_at__lt=limit)


def forget_anonymous_reporters(*, now: datetime.datetime | None = None, batch_size: int = 500) -> int:
    """Remove the name, phone and e-mail of every anonymous reporter past retention, in batches; return how many.

    Each batch is its own short transaction (rows locked with SKIP LOCKED), so a large first run neither holds
    long locks nor loses finished batches if it stops; running again continues where it stopped.
    """
    forgotten = 0
    while True:
        with transaction.atomic():
            batch = list(
                due_for_forgetting(now)
                .order_by("updated_at", "pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", "reporter_phone", "reporter_email")[:batch_size]
            )
            if not batch:
                break
            Complaint.objects.filter(pk__in=[pk for pk, _, _ in batch]).update(
                reporter_name="", reporter_phone="", reporter_email=""
            )
            _forget_sent_messages(batch)
        forgotten += len(batch)
    if forgotten:
        audit.record(None, "complaint.reporters_forgotten", summary=f"{forgotten} anonymous reporters")
        log.info("Removed the contact details of %d anonymous reporters past retention", forgotten)
    return forgotten


def _forget_sent_messages(batch: list[tuple[int, str, str]]) -> None:
    """The ticket's messages to the reporter carry the same name and address: blank them too (one query)."""
    addresses = {address for _, phone, email in batch for address in (phone, email) if address}
    if not addresses:
        return
    of_these_tickets = Q()
    for pk, _, _ in batch:
        of_these_tickets |= Q(dedupe_key__startswith=f"complaint:{pk}:")
    Notification.objects.filter(of_these_tickets, user__isnull=True, to_address__in=addresses).exclude(
        status__in=[Notification.Status.QUEUED, Notification.Status.SENDING]
    ).update(to_name="", to_address="")
