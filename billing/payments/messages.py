"""Messages caused by payments, queued in the outbox inside the settling transaction."""

from django.conf import settings
from django.urls import reverse

from accounts import roles
from accounts.models import Notification, User
from accounts.outbox import Attachment, Recipient, notify
from billing.payments import tokens
from billing.payments.models import Payment, Receipt
from billing.services import mask_name


def _on_record(payment: Payment, email: str) -> bool:
    """Whether the address is the customer's of record or a portal user's holding the connection."""
    if payment.connection.customer.email.lower() == email.lower():
        return True
    return payment.connection.links.filter(user__email__iexact=email).exists()


def _recipient(payment: Payment) -> tuple[Recipient | None, bool]:
    """Who started the payment online, else the e-mail they gave, else the customer of record; and whether what
    they get must be masked (a guest's address not on record learns no more than the public lookup shows)."""
    if payment.payer is not None and payment.payer.is_active:
        return Recipient.for_user(payment.payer), False
    customer = payment.connection.customer
    if payment.payer_email:
        if _on_record(payment, payment.payer_email):
            return Recipient.for_contact(customer.name, payment.payer_email), False
        return Recipient.for_contact(mask_name(customer.name), payment.payer_email), True
    recipient = Recipient.for_customer(customer)
    return (recipient if recipient.channels else None), False


def send_receipt(payment: Payment, receipt: Receipt, *, dedupe_key: str = "") -> list[Notification]:
    """E-mail with the PDF attached, SMS/WhatsApp with a link; once per receipt whatever happens upstream.

    A resend from the counter passes its own `dedupe_key`. Returns the messages queued (none without a contact).
    """
    recipient, masked = _recipient(payment)
    if recipient is None:
        return []
    periods = payment.allocations.order_by("bill__period").values_list("bill__period", flat=True)
    context = {
        "receipt_number": receipt.number,
        "amount": payment.amount,
        "account_number": payment.connection.account_number,
        "periods": [period.isoformat() for period in periods],
        "paid_at": receipt.issued_at.isoformat(),
        "payment_type": payment.payment_type,
        "receipt_url": settings.SITE_URL + reverse("payments:verify", args=[tokens.receipt_token(receipt)]),
    }
    return notify(
        recipient,
        "billing/receipt",
        context,
        dedupe_key=dedupe_key or f"billing:receipt:{receipt.pk}",
        attachments=[Attachment("billing.receipt_pdf", {"receipt_id": receipt.pk, "masked": masked})],
    )


def tell_supervisors_of_credit(payment: Payment) -> None:
    context = {
        "order_id": payment.order_id,
        "amount": payment.amount,
        "account_number": payment.connection.account_number,
        "credits_url": settings.SITE_URL + reverse("payments:credits"),
    }
    for supervisor in User.objects.filter(groups__name=roles.SUPERVISOR, is_active=True).order_by("pk"):
        notify(supervisor, "billing/refund_credit", context, dedupe_key=f"billing:credit:{payment.pk}:{supervisor.pk}")
