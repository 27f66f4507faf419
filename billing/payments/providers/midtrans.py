"""Midtrans Snap: create the transaction on our backend, redirect the customer to Snap's hosted page, learn the
result from Midtrans' HTTP notification (the shared default of the base class).

API shape as documented at docs.midtrans.com (Snap API, backend integration): `POST /snap/v1/transactions`
with HTTP Basic auth of the server key and an empty password; 201 answers `{"token", "redirect_url"}`, errors
answer 4xx/5xx with `{"error_messages": [...]}`.
"""

import base64
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable

from django.conf import settings

from billing.payments.models import Payment
from billing.payments.providers.base import Checkout, PaymentProvider, ProviderError

logger = logging.getLogger("tirta.payments")

SANDBOX_API = "https://app.sandbox.midtrans.com/snap/v1/transactions"
PRODUCTION_API = "https://app.midtrans.com/snap/v1/transactions"
ITEM_NAME_MAX = 50  # Snap truncates or refuses longer item names

# (url, headers, body) -> (HTTP status, response body); replaced in tests, which cannot reach the network.
Transport = Callable[[str, dict[str, str], bytes], tuple[int, bytes]]


def urllib_transport(url: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (fixed https URL)
    try:
        with urllib.request.urlopen(request, timeout=settings.MIDTRANS_TIMEOUT) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def snap_request(payment: Payment, finish_url: str, expiry_minutes: int) -> dict:
    """The Snap request body: one item per bill so Midtrans' dashboard shows what was paid."""
    items = [
        {
            "id": f"bill-{allocation.bill_id}",
            "price": allocation.amount,
            "quantity": 1,
            "name": f"Rekening {payment.connection.account_number} {allocation.bill.period:%m/%Y}"[:ITEM_NAME_MAX],
        }
        for allocation in payment.allocations.select_related("bill").order_by("bill__period")
    ]
    customer = payment.connection.customer
    details = {"first_name": customer.name[:255]}
    email = payment.payer_email or (payment.payer.email if payment.payer else "") or customer.email
    if email:
        details["email"] = email
    return {
        "transaction_details": {"order_id": payment.order_id, "gross_amount": payment.amount},
        "item_details": items,
        "customer_details": details,
        "callbacks": {"finish": finish_url},
        "expiry": {"unit": "minutes", "duration": expiry_minutes},
    }


class MidtransProvider(PaymentProvider):
    identifier = "midtrans"

    def __init__(self, transport: Transport | None = None) -> None:
        self.transport = transport or urllib_transport

    def api_url(self) -> str:
        return PRODUCTION_API if settings.MIDTRANS_PRODUCTION else SANDBOX_API

    def create_checkout(self, payment: Payment, *, finish_url: str) -> Checkout:
        body = json.dumps(snap_request(payment, finish_url, settings.PAYMENT_PENDING_MINUTES)).encode()
        auth = base64.b64encode(f"{self.server_key()}:".encode()).decode()
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "Authorization": f"Basic {auth}",
        }
        try:
            status, raw = self.transport(self.api_url(), headers, body)
        except OSError as exc:
            raise ProviderError(f"Midtrans unreachable: {exc}") from exc
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            answer = {}
        if status != 201 or not isinstance(answer, dict) or "redirect_url" not in answer:
            messages = answer.get("error_messages") if isinstance(answer, dict) else None
            logger.error("Midtrans refused order %s: HTTP %s %s", payment.order_id, status, messages)
            raise ProviderError(f"Midtrans answered HTTP {status}: {messages}")
        return Checkout(redirect_url=answer["redirect_url"], reference=str(answer.get("token", "")))
