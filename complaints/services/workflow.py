"""The ticket state machine: which change is legal from which state, and who may make it. It is the only code
that sets a ticket's status.

`complaints` staff triage (verify, reject, mark duplicate) and assign; `field` staff move the tickets
assigned to them; `billing` staff resolve billing questions (the answer to a questioned bill); supervisors
may make any change open to staff; the reporter closes a resolved ticket with a good rating or reopens it
with a poor one. Every change is one transaction that locks the ticket, writes a
timeline event and an audit entry, and queues the messages. Staff notes sit here too: they are staff actions
on a ticket that leave its status alone.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from complaints import categories, sla
from complaints.models import Complaint, ComplaintEvent
from complaints.services import messages

S = Complaint.Status
# Staff act through their role's permission; WORK additionally requires being the ticket's assignee.
TRIAGE = "complaints.triage_complaint"
WORK = "complaints.work_complaint"
SUPERVISE = "complaints.supervise_complaint"
# The ticket's reporter (checked by the caller: the signed-in reporter or the browser that filed or tracked it),
# and the system (scheduled jobs). Neither is a user with permissions.
# Billing staff answer billing questions (a questioned bill confirmed or corrected resolves its ticket): the role
# counts only on tickets of the billing category. A permission name, not an import: billing is not imported here.
ANSWER_BILLING = "billing.change_billdispute"
REPORTER: Literal["reporter"] = "reporter"
SYSTEM: Literal["system"] = "system"
Actor = User | Literal["reporter", "system"]
STAFF_ROLES = (TRIAGE, WORK, SUPERVISE, ANSWER_BILLING)

# (from, to) → the actors of which one suffices.
TRANSITIONS: dict[tuple[str, str], tuple[str, ...]] = {
    (S.RECEIVED, S.VERIFIED): (TRIAGE,),
    (S.RECEIVED, S.REJECTED): (TRIAGE,),
    (S.RECEIVED, S.DUPLICATE): (TRIAGE,),
    (S.RECEIVED, S.RESOLVED): (ANSWER_BILLING,),
    (S.VERIFIED, S.ASSIGNED): (TRIAGE,),
    (S.VERIFIED, S.RESOLVED): (ANSWER_BILLING,),
    (S.VERIFIED, S.REJECTED): (TRIAGE,),
    (S.VERIFIED, S.DUPLICATE): (TRIAGE,),
    (S.ASSIGNED, S.ASSIGNED): (TRIAGE,),
    (S.ASSIGNED, S.IN_PROGRESS): (WORK,),
    (S.ASSIGNED, S.RESOLVED): (WORK, ANSWER_BILLING),
    (S.IN_PROGRESS, S.ASSIGNED): (TRIAGE,),
    (S.IN_PROGRESS, S.RESOLVED): (WORK, ANSWER_BILLING),
    (S.RESOLVED, S.CLOSED): (TRIAGE, REPORTER),
    (S.RESOLVED, S.IN_PROGRESS): (SUPERVISE,),
    (S.RESOLVED, S.VERIFIED): (REPORTER,),  # a poor rating reopens the ticket and escalates it
}


class TransitionError(Exception):
    """A change that is not allowed now or not by this person; the message is for the member of staff."""


@dataclass(frozen=True)
class Change:
    to_status: str
    message: str = ""
    assignee: User | None = None
    reason: str = ""
    duplicate_of: Complaint | None = None


def may_transition(actor: Actor, complaint: Complaint, to_status: str) -> bool:
    """Whether the table lets this actor make this move from the ticket's current status."""
    needed = TRANSITIONS.get((complaint.status, to_status), ())
    if ANSWER_BILLING in needed and complaint.category.code != categories.BILLING:
        # The moves open to billing exist only on billing questions (for supervisors too).
        needed = tuple(role for role in needed if role != ANSWER_BILLING)
    if isinstance(actor, str):
        return actor in needed
    user = actor
    if not user.is_active or not user.is_staff or not any(role in STAFF_ROLES for role in needed):
        return False
    if user.has_perm(SUPERVISE):
        return True
    for role in needed:
        if role == WORK and user.has_perm(WORK) and complaint.assignee_id == user.pk:
            return True
        if role in (TRIAGE, SUPERVISE, ANSWER_BILLING) and user.has_perm(role):
            return True
    return False


def allowed_transitions(actor: Actor, complaint: Complaint) -> list[str]:
    return [to for (frm, to) in TRANSITIONS if frm == complaint.status and may_transition(actor, complaint, to)]


def assignable_staff() -> QuerySet[User]:
    """Staff who can take tickets: field teams and complaints officers."""
    return (
        User.objects.filter(is_active=True, is_staff=True, groups__name__in=["field", "complaints", "supervisor"])
        .distinct()
        .order_by("full_name")
    )


def _validate(change: Change, complaint: Complaint) -> None:
    if change.to_status == S.ASSIGNED:
        if change.assignee is None or not assignable_staff().filter(pk=change.assignee.pk).exists():
            raise TransitionError(_("Choose the member of staff or field team who takes this ticket."))
        if complaint.status == S.ASSIGNED and complaint.assignee_id == change.assignee.pk:
            raise TransitionError(_("This ticket is assigned to that person already."))
    if change.to_status == S.REJECTED and not change.reason.strip():
        raise TransitionError(_("Give the reason for rejecting; the reporter will see it."))
    if change.to_status == S.DUPLICATE:
        original = change.duplicate_of
        if original is None or original.pk == complaint.pk:
            raise TransitionError(_("Give the ticket number of the original report."))
        if original.status == S.DUPLICATE:
            raise TransitionError(_("That ticket is itself a duplicate; link to its original instead."))


def transition(complaint_id: int, actor: Actor, change: Change) -> Complaint:
    """Apply one change to a ticket, or raise TransitionError and change nothing.

    Reopening a resolved ticket (the reporter's poor rating) escalates it: the assignee is dropped, the service
    level starts again and supervisors are called. The reporter is told of every public change but their own.
    """
    user = actor if isinstance(actor, User) else None
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().select_related("category").get(pk=complaint_id)
        if not may_transition(actor, complaint, change.to_status):
            raise TransitionError(
                _("You cannot change this ticket from “%(from)s” to “%(to)s”.")
                % {"from": complaint.get_status_display(), "to": S(change.to_status).label}
            )
        _validate(change, complaint)
        from_status = complaint.status
        before = {"status": from_status, "assignee": complaint.assignee_id}
        now = timezone.now()
        reassignment = complaint.status == change.to_status
        reopened = from_status == S.RESOLVED and change.to_status == S.VERIFIED
        complaint.status = change.to_status
        if change.assignee is not None:
            complaint.assignee = change.assignee
        if change.to_status == S.REJECTED:
            complaint.reject_reason = change.reason.strip()
        if change.to_status == S.DUPLICATE:
            complaint.duplicate_of = change.duplicate_of
        if change.to_status == S.RESOLVED:
            complaint.resolved_at = now
        if reopened:
            complaint.escalated, complaint.assignee = True, None
        if from_status == S.RESOLVED and change.to_status in (S.IN_PROGRESS, S.VERIFIED):
            restart_clock(complaint, now)
        complaint.updated_at = now
        complaint.save()
        kind = ComplaintEvent.Kind.STATUS
        if reassignment or reopened:
            kind = ComplaintEvent.Kind.ASSIGNED if reassignment else ComplaintEvent.Kind.ESCALATED
        event = ComplaintEvent.objects.create(
            complaint=complaint,
            kind=kind,
            public=not reassignment,
            actor=user,
            from_status=from_status,
            to_status=change.to_status,
            message=_public_message(change),
        )
        audit.record(
            user,
            f"complaint.{change.to_status}",
            complaint,
            connection=complaint.connection,
            summary=f"{complaint.ticket}: {from_status} → {change.to_status}",
            changes=audit.diff(before, {"status": complaint.status, "assignee": complaint.assignee_id}),
        )
        if event.public and actor != REPORTER:
            messages.notify_public_event(complaint, event)
        if change.assignee is not None and change.assignee != user:
            messages.notify_staff([change.assignee], complaint, "complaints/assigned", f"assigned:{event.pk}")
        if reopened:
            messages.notify_staff(
                messages.supervisors(),
                complaint,
                "complaints/escalated",
                f"escalated:{event.pk}",
                {"rating": complaint.rating},
            )
    return complaint


def _public_message(change: Change) -> str:
    if change.to_status == S.REJECTED:
        return change.reason.strip()
    if change.to_status == S.DUPLICATE and change.duplicate_of is not None:
        note = _("This report is about the same problem as ticket %(ticket)s; follow that ticket for updates.")
        return " ".join(filter(None, [note % {"ticket": change.duplicate_of.ticket}, change.message.strip()]))
    return change.message.strip()


def restart_clock(complaint: Complaint, now: datetime) -> None:
    """A reopened ticket gets a fresh service level and may raise its alerts again."""
    for field, value in sla.due_times(complaint.category, now).items():
        setattr(complaint, field, value)
    complaint.respond_warned_at = complaint.respond_breached_at = None
    complaint.sla_warned_at = complaint.sla_breached_at = complaint.resolved_at = None


def bulk_assign(complaint_ids: list[int], actor: User, assignee: User) -> tuple[int, int]:
    """Assign many tickets at once (verifying new ones first); returns (assigned, skipped).

    Each ticket is its own transaction: one that may not be assigned (closed, or beyond the actor's role)
    is skipped without undoing the others.
    """
    assigned = skipped = 0
    for pk in complaint_ids:
        try:
            if Complaint.objects.filter(pk=pk, status=S.RECEIVED).exists():
                transition(pk, actor, Change(S.VERIFIED))
            transition(pk, actor, Change(S.ASSIGNED, assignee=assignee))
        except TransitionError:
            skipped += 1
        else:
            assigned += 1
    return assigned, skipped


def add_staff_note(complaint_id: int, actor: User, text: str, *, public: bool) -> ComplaintEvent:
    """An internal note, or (public) an update the reporter sees and is told about."""
    if not text.strip():
        raise TransitionError(_("Write the note first."))
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint_id)
        event = ComplaintEvent.objects.create(
            complaint=complaint,
            kind=ComplaintEvent.Kind.UPDATE if public else ComplaintEvent.Kind.NOTE,
            public=public,
            actor=actor,
            message=text.strip(),
        )
        audit.record(actor, "complaint.update" if public else "complaint.note", complaint, summary=complaint.ticket)
        if public:
            messages.notify_public_event(complaint, event)
    return event
