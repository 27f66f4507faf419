"""Everything staff see about one connection, gathered in a fixed number of queries whatever its history."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import AuditEntry, Notification, ServiceConnection, StaffNote, User
from accounts.providers import replies
from billing import credit
from billing.forms import RefundCreditForm
from billing.models import Bill
from billing.payments.models import Payment
from complaints.models import Complaint

HISTORY = 24  # rows per history section; older rows are rarely asked about at the counter


def get_connection(account_number: str) -> ServiceConnection:
    return get_object_or_404(
        # the credit balance rides along (a reverse one-to-one, so a LEFT JOIN) instead of a query of its own
        ServiceConnection.objects.select_related(
            "customer", "customer_class", "area", "area__parent", "credit_balance"
        ),
        account_number=account_number,
    )


def _credit_balance(connection: ServiceConnection) -> int:
    try:
        return connection.credit_balance.balance
    except ObjectDoesNotExist:
        return 0


def _bills(connection: ServiceConnection) -> tuple[list[Bill], list[Bill]]:
    """The latest HISTORY bills and the unpaid ones (billing.services.unpaid_bills: open or held, oldest first),
    read in one query: the unpaid bills plus whichever of the latest are paid or voided."""
    latest = Bill.objects.filter(connection=connection).order_by("-period").values("pk")[:HISTORY]
    rows = list(
        Bill.objects.filter(connection=connection)
        .filter(Q(status__in=[Bill.Status.OPEN, Bill.Status.DISPUTED]) | Q(pk__in=latest))
        .order_by("-period")
    )
    unpaid = [bill for bill in reversed(rows) if bill.status in (Bill.Status.OPEN, Bill.Status.DISPUTED)]
    return rows[:HISTORY], unpaid


def account_overview(connection: ServiceConnection) -> dict:
    portal_users = list(User.objects.filter(connection_links__connection=connection).order_by("full_name"))
    notifications = list(
        Notification.objects.filter(
            Q(customer_id=connection.customer_id) | Q(user__in=[user.pk for user in portal_users])
        ).order_by("-created_at")[:HISTORY]
    )
    notes = list(
        StaffNote.objects.filter(connection=connection).select_related("author").order_by("-created_at")[:HISTORY]
    )
    activity = list(
        AuditEntry.objects.filter(connection=connection)
        .exclude(action="connection.view")
        .select_related("actor")
        .order_by("-created_at")[:HISTORY]
    )
    complaints = list(
        Complaint.objects.filter(connection=connection).select_related("category").order_by("-created_at")[:HISTORY]
    )
    payments = list(
        Payment.objects.filter(connection=connection)
        .exclude(status=Payment.Status.PENDING)
        .select_related("receipt", "cashier")
        .order_by("-created_at")[:HISTORY]
    )
    customer = connection.customer
    phones = [customer.phone, *(user.phone or "" for user in portal_users)]
    emails = [customer.email, *(user.email for user in portal_users)]
    unreachable, inbound = replies.contact_trouble(emails, phones, HISTORY)
    bills, unpaid = _bills(connection)
    held = [bill for bill in unpaid if bill.status == Bill.Status.DISPUTED]
    unpaid = [bill for bill in unpaid if bill.status == Bill.Status.OPEN]
    return {
        "connection": connection,
        "open_bills": unpaid,
        "arrears": sum(bill.total for bill in unpaid),
        "held_bills": held,
        "held": sum(bill.total for bill in held),
        "bills": bills,
        "today": timezone.localdate(),
        "complaints": complaints,
        "payments": payments,
        "customer": connection.customer,
        "portal_users": portal_users,
        "notifications": notifications,
        "unreachable": unreachable,
        "inbound": inbound,
        "notes": notes,
        "activity": activity,
        "credit_balance": _credit_balance(connection),
        "credit_entries": credit.ledger(connection, HISTORY),
        "refund_form": RefundCreditForm(),
    }
