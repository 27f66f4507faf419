"""Sending a receipt again from the counter ("I never got the e-mail", "send it to my new number")."""

from django.db import transaction

from accounts import audit
from accounts.models import AuditEntry, Notification, User
from billing.payments.messages import send_receipt
from billing.payments.models import Receipt

RESEND = "receipt.resend"


class ReceiptNotResent(Exception):
    pass


class ReceiptVoid(ReceiptNotResent):
    """A reversed payment's receipt proves nothing any more."""


class NoContact(ReceiptNotResent):
    """Neither the payer nor the customer of record has an e-mail address or a mobile number."""


@transaction.atomic
def resend_receipt(actor: User, receipt: Receipt) -> list[Notification]:
    """Queue the receipt again to the payer's current contact details, and audit it.

    Each resend gets the next number in its dedupe key: two clicks racing each other queue one message.
    """
    if receipt.void:
        raise ReceiptVoid
    earlier = AuditEntry.objects.filter(action=RESEND, object_type="billing.receipt", object_id=str(receipt.pk))
    queued = send_receipt(
        receipt.payment, receipt, occasion=("billing:receipt", receipt.pk, "resend", earlier.count() + 1)
    )
    if not queued:
        raise NoContact
    audit.record(
        actor,
        RESEND,
        receipt,
        connection=receipt.payment.connection,
        summary=f"{receipt.number} → {', '.join(row.to_address for row in queued)}",
    )
    return queued
