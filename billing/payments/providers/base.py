"""The interface every payment provider implements. Adding a gateway means adding one module here.

Both online providers speak the Midtrans HTTP-notification format to `POST /payments/notify/`, so verifying and
reading a notification has one shared default implementation; a provider with another format overrides it.
"""

import enum
import hashlib
import hmac
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings

from billing.payments.models import Payment


class Outcome(enum.Enum):
    """What a notification says happened to the money."""

    PAID = "paid"
    PENDING = "pending"
    FAILED = "failed"
    EXPIRED = "expired"
    IGNORED = "ignored"  # a status we do not act on (refund, authorize …): stored and acknowledged


@dataclass(frozen=True)
class Checkout:
    """Where to send the customer to pay, and the gateway's reference for the attempt."""

    redirect_url: str
    reference: str = ""


class ProviderError(Exception):
    """The gateway refused or could not be reached; the payment stays pending and the customer may retry."""


def midtrans_signature(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    """SHA-512 hex of the four strings exactly as sent (`"125500.00"` is not `"125500"`)."""
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{server_key}".encode()).hexdigest()


def amount_matches(gross_amount: str, amount: int) -> bool:
    """`"125500.00"` and `"125500"` equal Rp 125.500; anything unparsable or different does not."""
    try:
        return Decimal(gross_amount) == Decimal(amount)
    except (InvalidOperation, ValueError):
        return False


class PaymentProvider:
    """Base class of payment providers.

    `identifier` is stored on each payment; `online` providers send the customer to a checkout page and learn
    the result from notifications; the counter settles at once.
    """

    identifier: str = ""
    online: bool = True

    def create_checkout(self, payment: Payment, *, finish_url: str) -> Checkout:
        """Register the payment with the gateway and return where the customer pays. Raises ProviderError."""
        raise NotImplementedError

    def server_key(self) -> str:
        return settings.PAYMENT_SERVER_KEY

    def verify_notification(self, data: dict[str, str]) -> bool:
        """Whether the notification's `signature_key` is the gateway's, compared in constant time."""
        key = self.server_key()
        if not key:
            return False  # fail closed: without a configured key nothing can be genuine
        expected = midtrans_signature(data["order_id"], data["status_code"], data["gross_amount"], key)
        return hmac.compare_digest(expected.encode(), data["signature_key"].encode())

    def map_status(self, data: dict[str, str]) -> Outcome:
        """Midtrans' statuses: only `200 settlement` or an accepted `capture` is money received."""
        status = data["transaction_status"]
        if status == "settlement":
            return Outcome.PAID if data["status_code"] == "200" else Outcome.IGNORED
        if status == "capture":
            if data["status_code"] == "200" and data.get("fraud_status") == "accept":
                return Outcome.PAID
            return Outcome.PENDING  # "challenge": the merchant must review; not money yet
        if status in {"deny", "cancel", "failure"}:
            return Outcome.FAILED
        if status == "expire":
            return Outcome.EXPIRED
        if status == "pending":
            return Outcome.PENDING
        return Outcome.IGNORED
