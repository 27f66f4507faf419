"""Who may see which ticket, and the lists pages show."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.services import connections_of
from complaints.models import Complaint, ComplaintEvent
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
    digits = "".join(ch for ch in digits if ch.isdigit())
    phone = complaint.reporter_phone or (complaint.reporter.phone if complaint.reporter_id else "") or ""
    return len(digits) == 4 and len(phone) >= 4 and phone.endswith(digits)


def find_for_tracking(ticket: str, phone_last4: str) -> Complaint | None:
    """The ticket when both the number and the last 4 digits of the reporter's phone match; else None.

    The caller must not tell which of the two was wrong.
    """
    number = normalise_ticket(ticket)
    if not number:
        return None
    complaint = Complaint.objects.select_related("reporter").filter(ticket=number).first()
    if complaint is None or not phone_tail_matches(complaint, phone_last4):
        return None
    return complaint


def public_timeline(complaint: Complaint):
    """What the reporter sees: public events of the ticket and, for a duplicate, of its original."""
    ids = [complaint.pk] + ([complaint.duplicate_of_id] if complaint.duplicate_of_id else [])
    return ComplaintEvent.objects.filter(complaint_id__in=ids, public=True).order_by("created_at", "pk")
