"""A customer's personal data as one JSON document (UU PDP 27/2022, the right to obtain one's data).

JSON rather than a zip of CSV files: one file a phone can save and share, nested the way the records relate (a
connection's bills, a payment's bills and receipt, a ticket's timeline), and machine-readable in the commonly
used format the law asks for. Bills and receipts as PDFs stay one tap away on their own pages.

Only what the portal shows this person goes in: tickets filed by others about their connection appear without
those reporters' contact details, and payments made by others without their e-mail addresses.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q
from django.template import TemplateDoesNotExist
from django.utils import timezone

from accounts import outbox
from accounts.models import ConnectionLink, LinkAttempt, Notification, User
from billing.models import Bill, BillDispute, SelfReading
from billing.payments.models import CreditEntry, Payment, PaymentBill
from complaints.models import Complaint, ComplaintEvent

FORMAT = "tirta-personal-data/1"


def export_filename(user: User, now: datetime.datetime | None = None) -> str:
    return f"tirta-data-pribadi-{timezone.localdate(now or timezone.now()):%Y-%m-%d}.json"


def personal_data(user: User) -> dict[str, Any]:
    """Everything the portal holds about `user`, in a fixed number of queries whatever the amount of data."""
    links = list(
        ConnectionLink.objects.filter(user=user)
        .select_related("connection__area", "connection__customer_class", "connection__customer")
        .prefetch_related(
            Prefetch("connection__bills", queryset=Bill.objects.order_by("-period")),
            Prefetch("connection__bills__disputes", queryset=BillDispute.objects.order_by("opened_at")),
            Prefetch("connection__self_readings", queryset=SelfReading.objects.order_by("period", "created_at")),
            Prefetch(
                "connection__credit_entries",
                queryset=CreditEntry.objects.select_related("bill").order_by("created_at", "pk"),
            ),
        )
        .order_by("connection__account_number")
    )
    connection_ids = [link.connection_id for link in links]
    return {
        "format": FORMAT,
        "generated_at": timezone.now().isoformat(),
        "data_controller": settings.UTILITY_NAME,
        "profile": _profile(user),
        "connections": [_connection(link) for link in links],
        "payments": [_payment(payment, user) for payment in _payments(user, connection_ids)],
        "tickets": [_ticket(ticket, user) for ticket in _tickets(user, connection_ids)],
        "messages": [_message(message) for message in Notification.objects.filter(user=user).order_by("created_at")],
        "connection_link_attempts": [
            {"account_number": attempt.account_number, "succeeded": attempt.succeeded, "at": _iso(attempt.created_at)}
            for attempt in LinkAttempt.objects.filter(user=user).order_by("created_at")
        ],
    }


def _iso(moment: datetime.datetime | datetime.date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _profile(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "mobile_number": user.phone or "",
        "full_name": user.full_name,
        "language": user.language,
        "notify_by_email": user.notify_email,
        "notify_by_sms": user.notify_sms,
        "notify_by_whatsapp": user.notify_whatsapp,
        "joined": _iso(user.date_joined),
        "last_sign_in": _iso(user.last_login),
    }


def _connection(link: ConnectionLink) -> dict[str, Any]:
    connection = link.connection
    return {
        "account_number": connection.account_number,
        "holder": connection.customer.name,
        "address": connection.address,
        "area": connection.area.name,
        "customer_class": str(connection.customer_class),
        "meter_number": connection.meter_number,
        "meter_size": connection.meter_size,
        "status": connection.status,
        "connected_on": _iso(connection.connected_on),
        "linked_to_my_account": _iso(link.created_at),
        "bills": [
            {
                "period": f"{bill.period:%Y-%m}",
                "previous_reading_m3": bill.previous_reading,
                "meter_reading_m3": bill.current_reading,
                "usage_m3": bill.usage,
                "estimated": bill.estimated,
                "total_rp": bill.total,
                "due_date": _iso(bill.due_date),
                "status": bill.status,
                "paid_at": _iso(bill.paid_at),
            }
            for bill in connection.bills.all()
        ],
        "self_readings": [
            {
                "period": f"{reading.period:%Y-%m}",
                "meter_reading_m3": reading.reading,
                "status": reading.status,
                "sent": _iso(reading.submitted_at),
                "reviewed": _iso(reading.reviewed_at),
                "reason": reading.reject_reason,
            }
            for reading in connection.self_readings.all()
        ],
        "bill_questions": [
            {
                "bill_period": f"{bill.period:%Y-%m}",
                "asked_by_me": dispute.opened_by_id == link.user_id,
                "reason": dispute.reason,
                "asked": _iso(dispute.opened_at),
                "outcome": dispute.outcome,
                "explanation": dispute.explanation,
                "answered": _iso(dispute.resolved_at),
            }
            for bill, dispute in sorted(
                ((bill, dispute) for bill in connection.bills.all() for dispute in bill.disputes.all()),
                key=lambda pair: pair[1].opened_at,
            )
        ],
        # Staff's notes on credit entries stay out: the portal never shows them to the customer.
        "credit_entries": [
            {
                "at": _iso(entry.created_at),
                "kind": entry.kind,
                "amount_rp": entry.amount,
                "bill_period": f"{entry.bill.period:%Y-%m}" if entry.bill else None,
            }
            for entry in connection.credit_entries.all()
        ],
    }


def _payments(user: User, connection_ids: list[int]):
    return (
        Payment.objects.filter(Q(payer=user) | Q(connection_id__in=connection_ids))
        .select_related("connection", "receipt")
        .prefetch_related(Prefetch("allocations", queryset=PaymentBill.objects.select_related("bill")))
        .order_by("created_at")
    )


def _payment(payment: Payment, user: User) -> dict[str, Any]:
    receipt = getattr(payment, "receipt", None)
    return {
        "order_id": payment.order_id,
        "account_number": payment.connection.account_number,
        "amount_rp": payment.amount,
        "method": payment.method_label,
        "status": payment.status,
        "made_by_me": payment.payer_id == user.pk,
        "receipt_email": payment.payer_email if payment.payer_id == user.pk else "",
        "created": _iso(payment.created_at),
        "paid": _iso(payment.paid_at),
        "bills": [f"{allocation.bill.period:%Y-%m}" for allocation in payment.allocations.all()],
        "receipt_number": receipt.number if receipt else None,
        "receipt_void": receipt.void if receipt else None,
    }


def _tickets(user: User, connection_ids: list[int]):
    public_events = ComplaintEvent.objects.filter(public=True).order_by("created_at", "pk")
    return (
        Complaint.objects.filter(Q(reporter=user) | Q(connection_id__in=connection_ids))
        .select_related("category", "connection")
        .prefetch_related(Prefetch("events", queryset=public_events, to_attr="public_events"))
        .order_by("created_at")
    )


def _ticket(ticket: Complaint, user: User) -> dict[str, Any]:
    mine = ticket.reporter_id == user.pk
    return {
        "ticket": ticket.ticket,
        "category": ticket.category.code,
        "description": ticket.description,
        "status": ticket.status,
        "address": ticket.address,
        "account_number": ticket.connection.account_number if ticket.connection_id else None,
        "reported_by_me": mine,
        "reporter_name": ticket.reporter_name if mine else "",
        "reporter_mobile_number": ticket.reporter_phone if mine else "",
        "reporter_email": ticket.reporter_email if mine else "",
        "latitude": str(ticket.latitude) if mine and ticket.latitude is not None else None,
        "longitude": str(ticket.longitude) if mine and ticket.longitude is not None else None,
        "rating": ticket.rating if mine else None,
        "rating_comment": ticket.rating_comment if mine else "",
        "received": _iso(ticket.created_at),
        "resolved": _iso(ticket.resolved_at),
        "timeline": [
            {"at": _iso(event.created_at), "kind": event.kind, "status": event.to_status, "message": event.message}
            for event in ticket.public_events
        ],
    }


def _message(message: Notification) -> dict[str, Any]:
    try:
        subject = outbox.subject(message)
    except TemplateDoesNotExist:  # a message kind retired since it was sent
        subject = message.template
    return {
        "subject": subject,
        "channel": message.channel,
        "to": message.to_address,
        "status": message.status,
        "created": _iso(message.created_at),
        "sent": _iso(message.sent_at),
    }
