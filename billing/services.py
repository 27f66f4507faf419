"""Billing rules that other apps call: what a connection owes.

Payments (issue 4) settle bills through their own service; they read what is due from here.
"""

from django.db.models import QuerySet, Sum

from accounts.models import ServiceConnection
from billing.models import Bill


def open_bills(connection: ServiceConnection | int) -> QuerySet[Bill]:
    """The connection's unpaid bills, oldest period first (the order arrears are paid in)."""
    connection_id = connection if isinstance(connection, int) else connection.pk
    return Bill.objects.filter(connection_id=connection_id, status=Bill.Status.OPEN).order_by("period")


def bill_total_due(connection: ServiceConnection | int) -> int:
    """Sum in Rupiah of the connection's unpaid bills, late fees included; 0 when nothing is due."""
    return open_bills(connection).aggregate(total=Sum("total"))["total"] or 0
