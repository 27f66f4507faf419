"""A connection billed for January 2026 by the real bill run, and a question on its bill (made directly: filing a
question is the customer's form, tested elsewhere)."""

import datetime

from accounts.models import ServiceConnection
from billing.billrun import run_bill_run
from billing.models import Bill, BillDispute
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.billing import MeterReadingFactory, TariffFactory

JANUARY = datetime.date(2026, 1, 1)
FEBRUARY = datetime.date(2026, 2, 1)


def billed_connection(usage: int = 25, connection: ServiceConnection | None = None) -> Bill:
    """January's bill of a connection whose meter went from 85 to 85 + `usage` m³ (R2 worked tariff: 25 m³ is
    Rp 90.000, 15 m³ Rp 50.000)."""
    connection = connection or ServiceConnectionFactory()
    TariffFactory(customer_class=connection.customer_class)
    MeterReadingFactory(connection=connection, period=datetime.date(2025, 12, 1), reading=85, previous_reading=70)
    MeterReadingFactory(connection=connection, period=JANUARY, reading=85 + usage, previous_reading=85)
    run_bill_run(JANUARY)
    return Bill.objects.get(connection=connection, period=JANUARY)


def questioned(bill: Bill, ticket: str = "", reason: str = "Meter saya tidak secepat itu") -> BillDispute:
    dispute = BillDispute.objects.create(bill=bill, ticket=ticket, reason=reason, status_before=bill.status)
    Bill.objects.filter(pk=bill.pk).update(status=Bill.Status.DISPUTED)
    bill.refresh_from_db()
    return dispute
