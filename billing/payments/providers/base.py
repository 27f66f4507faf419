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


# The status codes Midtrans documents with each transaction status (docs.midtrans.com: "Code statuses",
# "Transaction status cycle", "Expire transaction"): expire arrives as 202 in notifications and 407 from the
# expire API; a card cancel carries 200. A signed pair outside this table contradicts itself and is refused.
DOCUMENTED_CODES: dict[str, frozenset[str]] = {
    "settlement": frozenset({"200"}),
    "capture": frozenset({"200"}),
    "authorize": frozenset({"200"}),
    "refund": frozenset({"200"}),
    "partial_refund": frozenset({"200"}),
    "chargeback": frozenset({"200"}),
    "partial_chargeback": frozenset({"200"}),
    "pending": frozenset({"201"}),
    "cancel": frozenset({"200", "202"}),
    "expire": frozenset({"202", "407"}),
}
FAILURE_STATUSES = frozenset({"deny", "failure"})  # 202, or the 4xx/5xx code of the error
NOT_FAILURE_CODES = frozenset({"200", "201"})


def consistent_status(status_code: str, transaction_status: str) -> bool:
    """Whether the pair is one Midtrans documents; statuses it does not list are not judged here."""
    if transaction_status in FAILURE_STATUSES:
        return status_code not in NOT_FAILURE_CODES
    allowed = DOCUMENTED_CODES.get(transaction_status)
    return allowed is None or status_code in allowed


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

    def fetch_status(self, payment: Payment) -> bytes | None:
        """The gateway's current answer about the payment, shaped like its notification; None when it has none
        to give (a gateway without a status API notifies until it is heard). Raises ProviderError."""
        return None

    def server_key(self) -> str:
        return settings.PAYMENT_SERVER_KEY

    def verify_notification(self, data: dict[str, str]) -> bool:
        """Whether the notification's `signature_key` is the gateway's, compared in constant time."""
        key = self.server_key()
        if not key:
            return False  # fail closed: without a configured key nothing can be genuine
        expected = midtrans_signature(data["order_id"], data["status_code"], data["gross_amount"], key)
        return hmac.compare_digest(expected.encode(), data["signature_key"].encode())

    def consistent(self, data: dict[str, str]) -> bool:
        """Whether the notification's status code agrees with its transaction status."""
        return consistent_status(data["status_code"], data["transaction_status"])

    def map_status(self, data: dict[str, str]) -> Outcome:
        """Midtrans' statuses of a consistent notification: settlement or an accepted capture is money received."""
        status = data["transaction_status"]
        if status == "settlement":
            return Outcome.PAID
        if status == "capture":
            if data.get("fraud_status") == "accept":
                return Outcome.PAID
            return Outcome.PENDING  # "challenge": the merchant must review; not money yet
        if status in {"deny", "cancel", "failure"}:
            return Outcome.FAILED
        if status == "expire":
            return Outcome.EXPIRED
        if status == "pending":
            return Outcome.PENDING
        return Outcome.IGNORED
