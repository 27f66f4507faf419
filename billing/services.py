"""Billing rules that other apps call: what a connection owes.

Payments settle bills through their own service (billing/payments/services.py); they read what is due from here.
"""

import re

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import ServiceConnection
from accounts.services import register_link_verifier
from accounts.text import ascii_digits
from billing.models import Bill, bill_status_is


def _open(**where: object) -> QuerySet[Bill]:
    return Bill.objects.filter(bill_status_is(Bill.Status.OPEN), **where).order_by("period")


def open_bills(connection: ServiceConnection | int) -> QuerySet[Bill]:
    """The connection's unpaid bills, oldest period first (the order arrears are paid in)."""
    return _open(connection_id=connection if isinstance(connection, int) else connection.pk)


_OPEN_BILLS_OF_ACCOUNT = """
    SELECT b.id, b.period, b.total, c.status AS connection_status, h.name AS holder_name
    FROM billing_bill b
    JOIN accounts_serviceconnection c ON c.id = b.connection_id
    JOIN accounts_customer h ON h.id = c.customer_id
    WHERE c.account_number = %s AND b.status = 'open'
    ORDER BY b.period
"""


def open_bills_of_account(account_number: str) -> list[Bill]:
    """`open_bills` of the connection with this account number, each with `connection_status` and `holder_name`:
    one query for a caller that knows only the number (a bank's inquiry). Empty for an unknown number too.

    Written out in SQL because banks ask all day: built through the ORM, this one read cost four times the CPU of
    the statement and its rows together (bench/README.md, stop 21). The status is written as a literal so that
    the prepared statement's generic plan can use the partial index on open bills: bound as a parameter, Postgres
    planned it again on every call (0.25 against 0.02 ms). Bills carry only `period` and `total`.
    """
    return list(Bill.objects.raw(_OPEN_BILLS_OF_ACCOUNT, [account_number]))


def unpaid_bills(connection: ServiceConnection | int) -> QuerySet[Bill]:
    """Open bills and those on hold while a customer's question is checked, oldest first: what a page lists as
    unpaid. Only the open ones count toward the amount to pay."""
    connection_id = connection if isinstance(connection, int) else connection.pk
    held = [Bill.Status.OPEN, Bill.Status.DISPUTED]
    return Bill.objects.filter(connection_id=connection_id, status__in=held).order_by("period")


def with_amount_due(connections: QuerySet[ServiceConnection]) -> QuerySet[ServiceConnection]:
    """Annotate each connection with `amount_due` (Rupiah, open bills), `overdue_bills` and `on_hold` (Rupiah of
    bills held while a question is checked, not due meanwhile) in the same query."""
    of_connection = Bill.objects.filter(connection=OuterRef("pk")).order_by()
    open_of = of_connection.filter(bill_status_is(Bill.Status.OPEN)).values("connection")
    held_of = of_connection.filter(bill_status_is(Bill.Status.DISPUTED)).values("connection")
    return connections.annotate(
        amount_due=Coalesce(Subquery(open_of.annotate(s=Sum("total")).values("s")), 0),
        on_hold=Coalesce(Subquery(held_of.annotate(s=Sum("total")).values("s")), 0),
        overdue_bills=Coalesce(
            Subquery(
                # COUNT(*), not of the id: the partial index covers due_date, so no bill row is read.
                open_of.filter(due_date__lt=timezone.localdate()).annotate(n=Count("*")).values("n"),
            ),
            0,
        ),
    )


def latest_bill(connection: ServiceConnection) -> Bill | None:
    return connection.bills.exclude(status=Bill.Status.VOID).order_by("-period").first()


@register_link_verifier
def latest_bill_amount_matches(connection: ServiceConnection, answer: str) -> bool:
    """The total of the connection's latest bill, as printed (`Rp 125.500`, `125500` …)."""
    digits = ascii_digits(answer)
    if not digits:
        return False
    bill = latest_bill(connection)
    return bill is not None and int(digits) == bill.total


def mask_name(name: str) -> str:
    """`Budi Santoso` → `BUD* SAN****`: enough for the holder to recognise, too little to identify."""
    return " ".join(word[:3] + "*" * max(len(word) - 3, 0) if len(word) > 1 else "*" for word in name.upper().split())


_HOUSE_NUMBER = re.compile(r"\b(no|nomor|blok|rt|rw|kav)\b.*$|\d+.*$", re.IGNORECASE)


def street_only(address: str) -> str:
    """`Jl. Merdeka No. 12, RT 01/RW 02` → `Jl. Merdeka`: the street, never the house."""
    street = address.split(",")[0]
    return _HOUSE_NUMBER.sub("", street).strip(" .,-/") or "–"
