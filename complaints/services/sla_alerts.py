"""The periodic service-level check: warn when a ticket nears its due time, alarm when it passes it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Complaint, ComplaintEvent
from complaints.services import messages

THRESHOLDS = (
    # (due-time field, flag set once, timeline text, message template)
    ("warn_at", "sla_warned_at", "due_soon"),
    ("due_at", "sla_breached_at", "breached"),
)


def check_sla(now=None) -> int:
    """Flag open tickets past a threshold and notify their assignee and the supervisors, once per threshold.

    The flag is claimed with a conditional UPDATE, so two overlapping runs never alert twice; reopening a
    ticket clears the flags along with its new due times. Returns the number of alerts raised.
    """
    now = now or timezone.now()
    raised = 0
    for due_field, flag_field, state in THRESHOLDS:
        pending = Complaint.objects.filter(
            status__in=Complaint.OPEN_STATUSES, **{f"{due_field}__lte": now, f"{flag_field}__isnull": True}
        ).values_list("pk", flat=True)
        for pk in list(pending[:1000]):
            with transaction.atomic():
                claimed = Complaint.objects.filter(pk=pk, **{f"{flag_field}__isnull": True}).update(**{flag_field: now})
                if not claimed:
                    continue
                complaint = Complaint.objects.select_related("category", "assignee").get(pk=pk)
                text = (
                    _("Resolution is due soon (by %(due)s).")
                    if state == "due_soon"
                    else _("The resolution time (%(due)s) has passed.")
                ) % {"due": timezone.localtime(complaint.due_at).strftime("%d-%m-%Y %H:%M")}
                ComplaintEvent.objects.create(
                    complaint=complaint, kind=ComplaintEvent.Kind.SLA, public=False, message=text
                )
                staff = messages.supervisors() + ([complaint.assignee] if complaint.assignee else [])
                messages.notify_staff(
                    staff,
                    complaint,
                    "complaints/sla_alert",
                    f"sla:{state}:{complaint.due_at.timestamp():.0f}",
                    {"state": state, "due": timezone.localtime(complaint.due_at).strftime("%d-%m-%Y %H:%M")},
                )
                raised += 1
    return raised
