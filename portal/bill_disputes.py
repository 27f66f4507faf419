"""Question a bill in one tap: a billing ticket in complaints and the bill on hold in billing, together.

The two apps do not know each other; this module files the ticket (with the facts billing staff need to
check the bill) and opens the bill's dispute with the ticket's number, in one transaction: either both
exist or neither does.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from accounts.formatting import rupiah
from accounts.models import User
from billing.disputes import DisputeContext, ReadingFact, dispute_context, open_dispute, set_ticket
from billing.models import Bill, BillDispute
from complaints import categories
from complaints.models import Category, Complaint
from complaints.photos import MAX_PHOTOS
from complaints.services.filing import Link, Report, file_complaint


@dataclass(frozen=True)
class Questioned:
    complaint: Complaint
    dispute: BillDispute


def _reading(fact: ReadingFact | None) -> str:
    if fact is None:
        return "–"
    text = _("%(reading)s m³, %(source)s, read on %(date)s") % {
        "reading": fact.reading,
        "source": fact.source_label,
        "date": formats.date_format(fact.read_on, "j M Y"),
    }
    if fact.flagged:
        text += " · " + _("needs review: %(reason)s") % {"reason": fact.flag_reason or "–"}
    return text


def _copy(photo: FieldFile) -> "ContentFile[bytes]":
    """A ticket keeps its own copy: the stand's photo may be deleted with the stand, the ticket's may not."""
    with photo.open("rb") as handle:
        return ContentFile(handle.read(), name=Path(photo.name or "meter.jpg").name)


def staff_facts(context: DisputeContext) -> list[tuple[str, str]]:
    """The facts a billing clerk reads first, in the utility's language (staff read them, not the customer)."""
    bill = context.bill
    with translation.override(settings.LANGUAGE_CODE):
        usage = ", ".join(
            f"{formats.date_format(period, 'M Y')}: {m3} m³{'*' if estimated else ''}"
            for period, m3, estimated in context.usage
        )
        return [
            (_("Bill"), f"{formats.date_format(bill.period, 'F Y')} · {rupiah(bill.total)} · {bill.usage} m³"),
            (_("This reading"), _reading(context.current)),
            (_("Previous reading"), _reading(context.previous)),
            (_("Usage, last 12 months (* estimated)"), usage or "–"),
        ]


def question_bill(
    bill: Bill, *, customer: User, reason: str, photos: Sequence["ContentFile[bytes]"] = ()
) -> Questioned:
    """File the customer's billing ticket about `bill` and put the bill on hold, atomically.

    `bill` must already be checked to be the customer's. Raises billing.disputes.DisputeError (nothing filed)
    when the bill is replaced or already being checked. The customer gets the usual "report received"
    message through the ticket.
    """
    category = Category.objects.get(code=categories.BILLING)
    connection = bill.connection
    with transaction.atomic():
        # The bill first: its lock decides a double tap before a ticket number is taken.
        dispute = open_dispute(bill, reason, by=customer)
        with translation.override(settings.LANGUAGE_CODE):
            label = _("Bill %(period)s of %(account)s") % {
                "period": formats.date_format(bill.period, "F Y"),
                "account": connection.account_number,
            }
        report = Report(
            category=category,
            description=reason,
            reporter_name=customer.full_name or connection.customer.name,
            reporter_phone=customer.phone or "",
            reporter_email=customer.email,
            connection=connection,
        )
        context = dispute_context(bill)
        complaint = file_complaint(
            report,
            # The customer's photo of the meter now, then the photos they sent with their own stands.
            [*photos, *(_copy(photo) for photo in context.photos)][:MAX_PHOTOS],
            reporter=customer,
            link=Link(
                label=label,
                url=reverse("portal:staff-bill-dispute", args=[dispute.pk]),
                facts=staff_facts(context),
            ),
        )
        set_ticket(dispute, complaint.ticket)
    return Questioned(complaint=complaint, dispute=dispute)


def staff_page_of(dispute: BillDispute) -> str:
    """Where staff answer the dispute (tickets keep the portal's stable address, which points here)."""
    return reverse("billing:dispute_staff", args=[dispute.pk])
