"""Filing a report, and what the reporter may add afterwards (comments, photos, a rating)."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import Area, ServiceConnection, User
from complaints import sla
from complaints.models import Category, Complaint, ComplaintEvent, ComplaintPhoto
from complaints.photos import MAX_PHOTOS, no_room_error, thumbnail_of
from complaints.services import messages, outages, tickets, workflow

S = Complaint.Status


class ReporterError(Exception):
    """Something the reporter cannot do now; the message is for them."""


@dataclass(frozen=True)
class Report:
    category: Category
    description: str
    reporter_name: str
    reporter_phone: str = ""
    reporter_email: str = ""
    connection: ServiceConnection | None = None
    address: str = ""
    area: Area | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(frozen=True)
class Link:
    """The record a report is about, for staff: a label, a staff page, and facts as (label, value) rows."""

    label: str
    url: str
    facts: Sequence[tuple[str, str]] = ()


def photo_room(complaint: Complaint) -> int:
    """How many more photos the ticket takes."""
    return max(MAX_PHOTOS - complaint.photos.count(), 0)


def _store_photo(complaint: Complaint, photo: "ContentFile[bytes]", *, by_reporter: bool) -> ComplaintPhoto:
    return ComplaintPhoto.objects.create(
        complaint=complaint, image=photo, thumbnail=thumbnail_of(photo), by_reporter=by_reporter
    )


def file_complaint(
    report: Report,
    photos: Sequence["ContentFile[bytes]"] = (),
    *,
    reporter: User | None = None,
    filed_by: User | None = None,
    link: Link | None = None,
) -> Complaint:
    """Create the ticket with its number, due times, photos and first timeline line; tell the reporter.

    A report of no water or low pressure in an area under an active outage is linked to that outage.
    The connection, when given, must already have been checked to belong to the reporter. A `link` (what the
    report is about, with facts for staff) is shown on the staff ticket page only.
    """
    now = timezone.now()
    area = report.connection.area if report.connection else report.area
    address = report.connection.address if report.connection and not report.address else report.address
    outage = outages.active_outage_for(area, now) if report.category.outage_related and area else None
    with transaction.atomic():
        (ticket,) = tickets.allocate_tickets()
        complaint = Complaint.objects.create(
            ticket=ticket,
            category=report.category,
            description=report.description.strip(),
            reporter=reporter,
            reporter_name=report.reporter_name.strip(),
            reporter_phone=report.reporter_phone,
            reporter_email=report.reporter_email,
            filed_by=filed_by,
            connection=report.connection,
            address=address,
            area=area,
            latitude=report.latitude,
            longitude=report.longitude,
            outage=outage,
            linked_label=link.label if link else "",
            linked_url=link.url if link else "",
            staff_facts=[list(fact) for fact in link.facts] if link else [],
            created_at=now,
            updated_at=now,
            **sla.due_times(report.category, now),
        )
        for photo in photos[:MAX_PHOTOS]:
            _store_photo(complaint, photo, by_reporter=filed_by is None)
        ComplaintEvent.objects.create(complaint=complaint, kind=ComplaintEvent.Kind.FILED, created_at=now)
        if outage:
            ComplaintEvent.objects.create(
                complaint=complaint,
                kind=ComplaintEvent.Kind.OUTAGE,
                message=_("Your area is affected by: %(title)s.") % {"title": outage.title},
                created_at=now,
            )
        if filed_by is not None:
            audit.record(filed_by, "complaint.file", complaint, connection=report.connection, summary=ticket)
        messages.notify_filed(complaint)
    return complaint


def add_reporter_comment(complaint_id: int, text: str, photos: Sequence["ContentFile[bytes]"] = ()) -> ComplaintEvent:
    """A comment or photos from the reporter; whoever answers for the ticket is told, once per comment."""
    with transaction.atomic():
        complaint = (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("category", "assignee")
            .get(pk=complaint_id)
        )
        if not complaint.accepts_reporter_input:
            raise ReporterError(_("This ticket is finished; please file a new report if the problem is back."))
        room = photo_room(complaint)
        if len(photos) > room:
            raise ReporterError(no_room_error(room).messages[0])
        for photo in photos:
            _store_photo(complaint, photo, by_reporter=True)
        message = text.strip() or _("The reporter added a photo.")
        complaint.updated_at = timezone.now()
        complaint.save(update_fields=["updated_at"])
        event = ComplaintEvent.objects.create(
            complaint=complaint,
            kind=ComplaintEvent.Kind.COMMENT if text.strip() else ComplaintEvent.Kind.PHOTO,
            by_reporter=True,
            message=message,
        )
        messages.notify_staff(
            messages.ticket_handlers(complaint),
            complaint,
            "complaints/reporter_comment",
            f"reporter-comment:{event.pk}",
            {"message": message, "photos": len(photos)},
        )
    return event


def rate(complaint_id: int, rating: int, comment: str = "") -> Complaint:
    """The reporter's verdict on a resolved ticket: 3–5 closes it; 1–2 reopens it and calls a supervisor.

    The reporter makes the move through the state machine like anyone else.
    """
    if rating not in range(1, 6):
        raise ReporterError(_("Choose from 1 to 5 stars."))
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().select_related("category").get(pk=complaint_id)
        if complaint.status != S.RESOLVED or complaint.rating is not None:
            raise ReporterError(_("This ticket cannot be rated now."))
        complaint.rating, complaint.rating_comment, complaint.rated_at = rating, comment.strip(), timezone.now()
        complaint.save(update_fields=["rating", "rating_comment", "rated_at"])
        ComplaintEvent.objects.create(
            complaint=complaint,
            kind=ComplaintEvent.Kind.RATING,
            by_reporter=True,
            message=f"{rating}/5" + (f" – {complaint.rating_comment}" if complaint.rating_comment else ""),
        )
        audit.record(
            None,
            "complaint.rate",
            complaint,
            connection=complaint.connection,
            summary=f"{complaint.ticket}: {rating}/5",
        )
        if rating <= 2:
            change = workflow.Change(
                S.VERIFIED,
                message=_("We are sorry the problem was not solved well. A supervisor is looking into it now."),
            )
        else:
            change = workflow.Change(S.CLOSED, message=_("Thank you for your rating."))
        return workflow.transition(complaint.pk, workflow.REPORTER, change)
