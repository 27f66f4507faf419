"""Payments for tests: open bills of a connection, a pending online payment, and signed notifications."""

import datetime
import json

from django.urls import reverse

from billing.models import Bill
from billing.payments.models import Payment, PaymentBill
from billing.payments.providers.base import midtrans_signature
from billing.payments.services import new_order_id
from tests.factories.billing import BillFactory

SERVER_KEY = "SB-Mid-server-test-key"


def open_bills_of(connection, *totals: int) -> list[Bill]:
    """One open bill per total, for consecutive months from January 2026."""
    return [
        BillFactory(connection=connection, period=datetime.date(2026, month, 1), total=total)
        for month, total in enumerate(totals, start=1)
    ]


def pending_payment(bills: list[Bill], provider: str = "sandbox", **fields) -> Payment:
    fields.setdefault("order_id", new_order_id())
    payment = Payment.objects.create(
        connection=bills[0].connection,
        provider=provider,
        amount=sum(bill.total for bill in bills),
        **fields,
    )
    PaymentBill.objects.bulk_create(PaymentBill(payment=payment, bill=bill, amount=bill.total) for bill in bills)
    return payment


def notification(
    payment: Payment,
    transaction_status: str = "settlement",
    status_code: str = "200",
    gross_amount: str | None = None,
    key: str = SERVER_KEY,
    **extra: str,
) -> dict[str, str]:
    """A Midtrans HTTP notification as documented (bank transfer settlement), signed with `key`."""
    gross_amount = gross_amount if gross_amount is not None else f"{payment.amount}.00"
    body = {
        "va_numbers": [{"va_number": "812785002530231", "bank": "bca"}],
        "transaction_time": "2026-01-15 10:21:06",
        "transaction_status": transaction_status,
        "transaction_id": "9aed5972-5b6a-401e-894b-a32c91ed1a3a",
        "status_message": "midtrans payment notification",
        "status_code": status_code,
        "signature_key": midtrans_signature(payment.order_id, status_code, gross_amount, key),
        "settlement_time": "2026-01-15 10:25:12",
        "payment_type": "bank_transfer",
        "order_id": payment.order_id,
        "merchant_id": "G812785002",
        "gross_amount": gross_amount,
        "fraud_status": "accept",
        "currency": "IDR",
    }
    body.update(extra)
    return body


def post_notification(client, body) -> "HttpResponse":  # noqa: F821
    raw = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(reverse("payments:notify"), data=raw, content_type="application/json")
