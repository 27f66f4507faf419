"""Who may see which ticket, and the lists pages show."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.models import Area, User
from accounts.services import connections_of
from accounts.text import ascii_digits
from complaints.models import Category, Complaint, ComplaintEvent, ComplaintQuerySet, SlaState
from complaints.services.tickets import normalise_ticket


def complaints_of(user: User, connection_ids: Iterable[int] | None = None) -> QuerySet[Complaint]:
    """A customer's own reports: filed by them, or about a connection they hold.

    Pass `connection_ids` (the user's connections) when the caller has them: as a literal list Postgres combines
    the reporter and connection indexes and sorts the few matches, where the subquery form (fine for a lookup by
    pk) makes it walk every ticket of the city newest first when the list is ordered and cut.
    """
    held = connections_of(user).values("pk") if connection_ids is None else list(connection_ids)
    return (
        Complaint.objects.filter(Q(reporter=user) | Q(connection__in=held))
        .select_related("category")
        .order_by("-created_at")
    )


def phone_tail_matches(complaint: Complaint, digits: str) -> bool:
    digits = ascii_digits(digits)
    phone = complaint.reporter_phone or (complaint.reporter.phone if complaint.reporter else "") or ""
    return len(digits) == 4 and len(phone) >= 4 and phone.endswith(digits)


def find_for_tracking(ticket: str, phone_last4: str) -> Complaint | None:
    """The ticket when both the number and the last 4 digits of the reporter's phone match; else None.

    The caller must not tell which of the two was wrong.
    """
    number = normalise_ticket(ticket)
    if not number:
        return None
    complaint: Complaint | None = Complaint.objects.select_related("reporter").filter(ticket=number).first()
    if complaint is None or not phone_tail_matches(complaint, phone_last4):
        return None
    return complaint


def public_timeline(complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """What the reporter sees: public events of the ticket and, for a duplicate, of its original."""
    ids = [complaint.pk] + ([complaint.duplicate_of_id] if complaint.duplicate_of_id else [])
    return ComplaintEvent.objects.filter(complaint_id__in=ids, public=True).order_by("created_at", "pk")


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""  # "" every open ticket, "all" every ticket, else one status
    category: Category | None = None
    area: Area | None = None  # the area or any village inside it
    assignee: str = ""  # "me", "none" or a user's id (digits)
    sla: str = ""  # a SlaState
    escalated: bool = False
    sort: str = "due_at"


def staff_queue(filters: QueueFilters, user: User) -> ComplaintQuerySet:
    """The tickets of the staff queue that match the filters, in the order asked for."""
    tickets = Complaint.objects.select_related("category", "area", "assignee")
    if not filters.status:
        tickets = tickets.open()
    elif filters.status != "all":
        tickets = tickets.filter(status=filters.status)
    if filters.category:
        tickets = tickets.filter(category=filters.category)
    if filters.area:
        tickets = tickets.filter(Q(area=filters.area) | Q(area__parent=filters.area))
    if filters.assignee == "me":
        tickets = tickets.filter(assignee=user)
    elif filters.assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    elif filters.assignee:
        tickets = tickets.filter(assignee_id=int(filters.assignee))
    if filters.escalated:
        tickets = tickets.filter(escalated=True)
    if filters.sla == SlaState.DUE_SOON:
        tickets = tickets.due_soon()
    elif filters.sla == SlaState.BREACHED:
        tickets = tickets.breached()
    return tickets.order_by(filters.sort, "pk")
