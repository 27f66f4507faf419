"""A questioned bill answered by billing staff resolves its billing ticket, so that the customer reads the answer
among the ticket's messages and can rate it. billing and complaints do not know each other; this ties them.

Without a ticket (none linked, unknown, or one that can no longer be resolved) the answer still stands and the
customer is told by a billing message through the outbox instead.
"""

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.formatting import rupiah
from billing import credit
from billing.corrections import tell_customer
from billing.models import Bill, BillDispute
from complaints.models import Complaint
from complaints.services.workflow import Change, TransitionError, transition


def resolution_note(dispute: BillDispute, replacement: Bill | None) -> str:
    """The public note on the ticket: the explanation, and for a correction what the customer owes now, in the
    language of the customer who asked (the note is stored, so the staff member's language would stick)."""
    if replacement is None:
        return dispute.explanation
    asker = dispute.opened_by
    with translation.override(asker.language if asker is not None else settings.LANGUAGE_CODE):
        return _with_summary(dispute, replacement)


def _with_summary(dispute: BillDispute, replacement: Bill) -> str:
    to_pay = replacement.total if replacement.status == Bill.Status.OPEN else 0
    balance = credit.balance_of(replacement.connection_id)
    summary = _("The bill of %(period)s has been replaced by a corrected bill: %(to_pay)s left to pay.") % {
        "period": f"{replacement.period:%Y-%m}",
        "to_pay": rupiah(to_pay),
    }
    if balance:
        summary += " " + _("Your credit balance of %(credit)s is used for your next bill.") % {
            "credit": rupiah(balance)
        }
    return f"{dispute.explanation}\n\n{summary}"


def resolve_ticket(sender: Any, dispute: BillDispute, replacement: Bill | None, **kwargs: Any) -> None:
    """bill_dispute_resolved receiver: runs inside the answering transaction."""
    complaint = Complaint.objects.filter(ticket=dispute.ticket).only("pk").first() if dispute.ticket else None
    if complaint is not None and dispute.resolved_by is not None:
        try:
            transition(
                complaint.pk,
                dispute.resolved_by,
                Change(Complaint.Status.RESOLVED, resolution_note(dispute, replacement)),
            )
        except TransitionError:
            pass
        else:
            return
    tell_customer(dispute, replacement)
