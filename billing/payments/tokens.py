"""Signed, URL-safe tokens: the receipt's verification link (printed as a QR code) and the payer's status link.

A token proves we issued the link; it carries only an id or a number, so it reveals nothing by itself.
"""

from django.core import signing

from billing.payments.models import Payment, Receipt

_RECEIPT_SALT = "billing.payments.receipt"
_STATUS_SALT = "billing.payments.status"


def receipt_token(receipt: Receipt) -> str:
    return signing.dumps(receipt.number, salt=_RECEIPT_SALT)


def receipt_number(token: str) -> str | None:
    """The receipt number a token was issued for, or None for a forged or damaged token."""
    try:
        return signing.loads(token, salt=_RECEIPT_SALT)
    except signing.BadSignature:
        return None


def status_token(payment: Payment) -> str:
    return signing.dumps(payment.order_id, salt=_STATUS_SALT)


def status_order_id(token: str) -> str | None:
    try:
        return signing.loads(token, salt=_STATUS_SALT)
    except signing.BadSignature:
        return None
