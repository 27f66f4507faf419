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
import urllib.parse
import urllib.request
from collections.abc import Callable

from django.conf import settings

from billing.payments.models import Payment
from billing.payments.providers.base import Checkout, PaymentProvider, ProviderError

logger = logging.getLogger("tirta.payments")

SANDBOX_API = "https://app.sandbox.midtrans.com/snap/v1/transactions"
PRODUCTION_API = "https://app.midtrans.com/snap/v1/transactions"
# The Core API's GET status, which answers in the HTTP-notification format (signature_key included).
SANDBOX_STATUS_API = "https://api.sandbox.midtrans.com/v2/{order_id}/status"
PRODUCTION_STATUS_API = "https://api.midtrans.com/v2/{order_id}/status"
ITEM_NAME_MAX = 50  # Snap truncates or refuses longer item names

# (url, headers, body) -> (HTTP status, response body), a GET when body is None; replaced in tests, which cannot
# reach the network.
Transport = Callable[[str, dict[str, str], bytes | None], tuple[int, bytes]]


def urllib_transport(url: str, headers: dict[str, str], body: bytes | None) -> tuple[int, bytes]:
    method = "GET" if body is None else "POST"
    request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310 (fixed https URL)
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

    def status_url(self, order_id: str) -> str:
        template = PRODUCTION_STATUS_API if settings.MIDTRANS_PRODUCTION else SANDBOX_STATUS_API
        return template.format(order_id=urllib.parse.quote(order_id, safe=""))

    def headers(self) -> dict[str, str]:
        auth = base64.b64encode(f"{self.server_key()}:".encode()).decode()
        return {"Accept": "application/json", "Content-Type": "application/json", "Authorization": f"Basic {auth}"}

    def fetch_status(self, payment: Payment) -> bytes | None:
        """The Get Status answer, a notification-shaped body; None when Midtrans has no such transaction yet
        (the payer never chose a method). Raises ProviderError when Midtrans cannot be asked."""
        try:
            status, raw = self.transport(self.status_url(payment.order_id), self.headers(), None)
        except OSError as exc:
            raise ProviderError(f"Midtrans unreachable: {exc}") from exc
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise ProviderError(f"Midtrans status answered HTTP {status} without a JSON object")
        # Midtrans says "not found" as status_code 404 in the body, whatever the HTTP status.
        if status == 404 or answer.get("status_code") == "404":
            return None
        if status != 200 or "signature_key" not in answer:  # refused (401 …) or failing: nothing to apply
            raise ProviderError(f"Midtrans status answered HTTP {status}: {answer.get('status_message')}")
        return raw

    def create_checkout(self, payment: Payment, *, finish_url: str) -> Checkout:
        body = json.dumps(snap_request(payment, finish_url, settings.PAYMENT_PENDING_MINUTES)).encode()
        try:
            status, raw = self.transport(self.api_url(), self.headers(), body)
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
