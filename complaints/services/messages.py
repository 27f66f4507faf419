"""Messages to reporters and staff about tickets, all through the outbox (call inside the event's transaction)."""

from typing import Any

from django.urls import reverse
from django.utils import translation

from accounts import outbox, roles
from accounts.models import User
from accounts.outbox import Recipient
from accounts.recipients import dedupe_key
from complaints.models import Complaint, ComplaintEvent


def reporter_recipient(complaint: Complaint) -> Recipient:
    if complaint.reporter is not None:
        return Recipient.for_user(complaint.reporter)
    return Recipient.for_contact(complaint.reporter_name, complaint.reporter_email, complaint.reporter_phone)


def _ticket_context(complaint: Complaint, language: str) -> dict[str, Any]:
    with translation.override(language):
        return {
            "ticket": complaint.ticket,
            "category": complaint.category.label,
            "status": complaint.status,
            "status_label": str(complaint.get_status_display()),
            "track_url": reverse("complaints:track"),
        }


def notify_filed(complaint: Complaint) -> None:
    recipient = reporter_recipient(complaint)
    context = _ticket_context(complaint, recipient.language)
    if complaint.outage is not None:
        context["outage_title"] = complaint.outage.title
    outbox.notify(recipient, "complaints/received", context, dedupe_key("complaint", complaint.pk, "received"))


def notify_public_event(complaint: Complaint, event: ComplaintEvent) -> None:
    """Tell the reporter, and the reporters of tickets marked duplicates of this one, about a public change."""
    followers = [complaint, *complaint.duplicates.select_related("reporter", "category")]
    for ticket in followers:
        recipient = reporter_recipient(ticket)
        context = _ticket_context(complaint, recipient.language)
        context.update(message=event.message, own_ticket=ticket.ticket)
        template = "complaints/status_changed" if event.kind == ComplaintEvent.Kind.STATUS else "complaints/update"
        outbox.notify(recipient, template, context, dedupe_key("complaint", ticket.pk, "event", event.pk))


def supervisors() -> list[User]:
    return list(User.objects.filter(groups__name=roles.SUPERVISOR, is_active=True, is_staff=True))


def complaints_officers() -> list[User]:
    return list(User.objects.filter(groups__name=roles.COMPLAINTS, is_active=True, is_staff=True))


def ticket_handlers(complaint: Complaint) -> list[User]:
    """Who answers for a ticket now: its assignee, or while nobody has it the complaints officers."""
    if complaint.assignee is not None and complaint.assignee.is_active:
        return [complaint.assignee]
    return complaints_officers()


def notify_staff(
    users: list[User], complaint: Complaint, template: str, key: str, extra: dict[str, Any] | None = None
) -> None:
    """One message per member of staff; `key` names the occasion so each is told once."""
    for user in {u.pk: u for u in users}.values():
        context = _ticket_context(complaint, user.language)
        context.update(extra or {}, staff_url=reverse("complaints_staff:ticket", args=[complaint.ticket]))
        outbox.notify(user, template, context, dedupe_key("complaint", complaint.pk, key, recipient=user))
