"""The periodic service-level check: warn when a ticket nears a due time, alarm when it passes it.

Two clocks run per ticket: the first response (until someone verifies or assigns it, i.e. while it is
still `received`) and the resolution (while it is open).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from complaints.models import Complaint, ComplaintEvent
from complaints.services import messages


@dataclass(frozen=True)
class Threshold:
    state: str  # names the occasion in the message and its dedupe key
    moment_field: str  # when the threshold is reached
    due_field: str  # the due time the message quotes
    flag_field: str  # set once the alert is raised, so it is raised once
    statuses: tuple[str, ...]  # while the clock runs
    to_supervisors: bool  # besides whoever answers for the ticket


RESPONSE_STATUSES = (Complaint.Status.RECEIVED,)
THRESHOLDS = (
    Threshold("respond_due_soon", "respond_warn_at", "respond_due_at", "respond_warned_at", RESPONSE_STATUSES, False),
    Threshold("respond_breached", "respond_due_at", "respond_due_at", "respond_breached_at", RESPONSE_STATUSES, False),
    Threshold("due_soon", "warn_at", "due_at", "sla_warned_at", Complaint.OPEN_STATUSES, True),
    Threshold("breached", "due_at", "due_at", "sla_breached_at", Complaint.OPEN_STATUSES, True),
)


def _timeline_text(state: str) -> str:
    return {
        "respond_due_soon": _("First response is due soon (by %(due)s)."),
        "respond_breached": _("The first-response time (%(due)s) has passed."),
        "due_soon": _("Resolution is due soon (by %(due)s)."),
        "breached": _("The resolution time (%(due)s) has passed."),
    }[state]


def _audience(threshold: Threshold, complaint: Complaint) -> list[User]:
    """Response alerts go to whoever should pick the ticket up; resolution alerts to the assignee and the
    supervisors."""
    if threshold.to_supervisors:
        return messages.supervisors() + ([complaint.assignee] if complaint.assignee else [])
    return messages.ticket_handlers(complaint)


def _raise(threshold: Threshold, pk: int, now: datetime) -> bool:
    with transaction.atomic():
        claimed = Complaint.objects.filter(
            pk=pk, status__in=threshold.statuses, **{f"{threshold.flag_field}__isnull": True}
        ).update(**{threshold.flag_field: now})
        if not claimed:
            return False
        complaint = Complaint.objects.select_related("category", "assignee").get(pk=pk)
        due = getattr(complaint, threshold.due_field)
        shown = timezone.localtime(due).strftime("%d-%m-%Y %H:%M")
        ComplaintEvent.objects.create(
            complaint=complaint,
            kind=ComplaintEvent.Kind.SLA,
            public=False,
            message=_timeline_text(threshold.state) % {"due": shown},
        )
        messages.notify_staff(
            _audience(threshold, complaint),
            complaint,
            "complaints/sla_alert",
            # A reopened ticket has new due times and so may be alerted again; the same threshold never twice.
            f"sla:{threshold.state}:{due.timestamp():.0f}",
            {"state": threshold.state, "due": shown},
        )
    return True


def check_sla(now: datetime | None = None) -> int:
    """Flag tickets past a threshold and notify who must act, once per threshold.

    The flag is claimed with a conditional UPDATE, so two overlapping runs never alert twice; reopening a
    ticket clears the flags along with its new due times. Returns the number of alerts raised.
    """
    now = now or timezone.now()
    raised = 0
    for threshold in THRESHOLDS:
        pending = Complaint.objects.filter(
            status__in=threshold.statuses,
            **{f"{threshold.moment_field}__lte": now, f"{threshold.flag_field}__isnull": True},
        ).values_list("pk", flat=True)
        for pk in list(pending[:1000]):
            raised += _raise(threshold, pk, now)
    return raised
