"""The ticket state machine: which change is legal from which state, and who may make it.

`complaints` staff triage (verify, reject, mark duplicate) and assign; `field` staff move the tickets
assigned to them; supervisors may make any legal change. Every change is one transaction that locks the
ticket, writes a timeline event and an audit entry, and queues the reporter's message.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from complaints import sla
from complaints.models import Complaint, ComplaintEvent
from complaints.services import messages

S = Complaint.Status
TRIAGE = "complaints.triage_complaint"
WORK = "complaints.work_complaint"
SUPERVISE = "complaints.supervise_complaint"

# (from, to) → permissions of which one suffices; WORK additionally requires being the assignee.
TRANSITIONS: dict[tuple[str, str], tuple[str, ...]] = {
    (S.RECEIVED, S.VERIFIED): (TRIAGE,),
    (S.RECEIVED, S.REJECTED): (TRIAGE,),
    (S.RECEIVED, S.DUPLICATE): (TRIAGE,),
    (S.VERIFIED, S.ASSIGNED): (TRIAGE,),
    (S.VERIFIED, S.REJECTED): (TRIAGE,),
    (S.VERIFIED, S.DUPLICATE): (TRIAGE,),
    (S.ASSIGNED, S.ASSIGNED): (TRIAGE,),
    (S.ASSIGNED, S.IN_PROGRESS): (WORK,),
    (S.ASSIGNED, S.RESOLVED): (WORK,),
    (S.IN_PROGRESS, S.ASSIGNED): (TRIAGE,),
    (S.IN_PROGRESS, S.RESOLVED): (WORK,),
    (S.RESOLVED, S.CLOSED): (TRIAGE,),
    (S.RESOLVED, S.IN_PROGRESS): (SUPERVISE,),
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


def may_transition(user: User, complaint: Complaint, to_status: str) -> bool:
    needed = TRANSITIONS.get((complaint.status, to_status))
    if not needed or not user.is_active or not user.is_staff:
        return False
    if user.has_perm(SUPERVISE):
        return True
    for perm in needed:
        if perm == WORK and user.has_perm(WORK) and complaint.assignee_id == user.pk:
            return True
        if perm != WORK and user.has_perm(perm):
            return True
    return False


def allowed_transitions(user: User, complaint: Complaint) -> list[str]:
    return [to for (frm, to) in TRANSITIONS if frm == complaint.status and may_transition(user, complaint, to)]


def assignable_staff():
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


def transition(complaint_id: int, actor: User, change: Change) -> Complaint:
    """Apply one change to a ticket, or raise TransitionError and change nothing."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().select_related("category").get(pk=complaint_id)
        if not may_transition(actor, complaint, change.to_status):
            raise TransitionError(
                _("You cannot change this ticket from “%(from)s” to “%(to)s”.")
                % {"from": complaint.get_status_display(), "to": S(change.to_status).label}
            )
        _validate(change, complaint)
        before = {"status": complaint.status, "assignee": complaint.assignee_id}
        now = timezone.now()
        reassignment = complaint.status == change.to_status
        complaint.status = change.to_status
        if change.assignee is not None:
            complaint.assignee = change.assignee
        if change.to_status == S.REJECTED:
            complaint.reject_reason = change.reason.strip()
        if change.to_status == S.DUPLICATE:
            complaint.duplicate_of = change.duplicate_of
        if change.to_status == S.RESOLVED:
            complaint.resolved_at = now
        if change.to_status == S.IN_PROGRESS and before["status"] == S.RESOLVED:
            restart_clock(complaint, now)
        complaint.updated_at = now
        complaint.save()
        event = ComplaintEvent.objects.create(
            complaint=complaint,
            kind=ComplaintEvent.Kind.ASSIGNED if reassignment else ComplaintEvent.Kind.STATUS,
            public=not reassignment,
            actor=actor,
            from_status=before["status"],
            to_status=change.to_status,
            message=_public_message(change),
        )
        audit.record(
            actor,
            f"complaint.{change.to_status}",
            complaint,
            connection=complaint.connection,
            summary=f"{complaint.ticket}: {before['status']} → {change.to_status}",
            changes=audit.diff(before, {"status": complaint.status, "assignee": complaint.assignee_id}),
        )
        if event.public:
            messages.notify_public_event(complaint, event)
        if change.assignee is not None and change.assignee.pk != actor.pk:
            messages.notify_staff([change.assignee], complaint, "complaints/assigned", f"assigned:{event.pk}")
    return complaint


def _public_message(change: Change) -> str:
    if change.to_status == S.REJECTED:
        return change.reason.strip()
    if change.to_status == S.DUPLICATE and change.duplicate_of is not None:
        note = _("This report is about the same problem as ticket %(ticket)s; follow that ticket for updates.")
        return " ".join(filter(None, [note % {"ticket": change.duplicate_of.ticket}, change.message.strip()]))
    return change.message.strip()


def restart_clock(complaint: Complaint, now) -> None:
    """A reopened ticket gets a fresh service level and may raise its alerts again."""
    complaint.__dict__.update(sla.due_times(complaint.category, now))
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
