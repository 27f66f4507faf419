"""Messages caused by payments, queued in the outbox inside the settling transaction."""

from accounts import roles
from accounts.models import Notification, User
from accounts.outbox import Attachment, Recipient, notify
from accounts.recipients import Kind, absolute_url, dedupe_key, recipients
from billing.payments import tokens
from billing.payments.models import Payment, Receipt
from billing.services import mask_name


def _on_record(payment: Payment, email: str) -> bool:
    """Whether the address is the customer's of record or a portal user's holding the connection."""
    if payment.connection.customer.email.lower() == email.lower():
        return True
    return payment.connection.links.filter(user__email__iexact=email).exists()


def _recipients(payment: Payment) -> list[tuple[Recipient, bool]]:
    """Who paid: the portal user who started the payment online, else the e-mail they gave; when nobody is known
    (cash at the counter), whoever hears about the connection's receipts. With each, whether what they get must be
    masked (a guest's address not on record learns no more than the public lookup shows)."""
    if payment.payer is not None and payment.payer.is_active:
        return [(Recipient.for_user(payment.payer), False)]
    customer = payment.connection.customer
    if payment.payer_email:
        if _on_record(payment, payment.payer_email):
            return [(Recipient.for_contact(customer.name, payment.payer_email), False)]
        return [(Recipient.for_contact(mask_name(customer.name), payment.payer_email), True)]
    return [(recipient, False) for recipient in recipients(payment.connection, Kind.RECEIPTS)]


def send_receipt(payment: Payment, receipt: Receipt, *, occasion: tuple[object, ...] = ()) -> list[Notification]:
    """E-mail with the PDF attached, SMS/WhatsApp with a link; once per receipt and person whatever happens upstream.

    A resend from the counter names its own `occasion` (the parts of the dedupe key). Returns the messages queued
    (none without a contact).
    """
    periods = payment.allocations.order_by("bill__period").values_list("bill__period", flat=True)
    context = {
        "receipt_number": receipt.number,
        "amount": payment.amount,
        "account_number": payment.connection.account_number,
        "periods": [period.isoformat() for period in periods],
        "paid_at": receipt.issued_at.isoformat(),
        "payment_type": payment.payment_type,
        "receipt_url": absolute_url("payments:verify", tokens.receipt_token(receipt)),
    }
    occasion = occasion or ("billing:receipt", receipt.pk)
    queued: list[Notification] = []
    for recipient, masked in _recipients(payment):
        key = dedupe_key(*occasion, recipient=recipient)
        attachments = [Attachment("billing.receipt_pdf", {"receipt_id": receipt.pk, "masked": masked})]
        queued += notify(recipient, "billing/receipt", context, dedupe_key=key, attachments=attachments)
    return queued


def tell_supervisors_of_credit(payment: Payment) -> None:
    context = {
        "order_id": payment.order_id,
        "amount": payment.amount,
        "account_number": payment.connection.account_number,
        "credits_url": absolute_url("payments:credits"),
    }
    for supervisor in User.objects.filter(groups__name=roles.SUPERVISOR, is_active=True).order_by("pk"):
        notify(
            supervisor, "billing/refund_credit", context, dedupe_key("billing:credit", payment.pk, recipient=supervisor)
        )
