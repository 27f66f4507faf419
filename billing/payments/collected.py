"""Money a partner (a bank, a payment point) already collected for all open bills of a connection.

Same rules as cash at the counter: the open bills locked by primary key, the amount checked against them
while locked, settled in the same transaction with the year's next receipt number and the receipt message.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ServiceConnection
from billing.models import Bill
from billing.payments.models import Payment
from billing.payments.services import PaymentError, pay_locked_bills


class NothingToPay(PaymentError):
    """Every bill was paid (another way) before this payment arrived."""


class AmountDiffers(PaymentError):
    """The amount collected is not what the open bills add up to now."""


def take_collected(
    connection: ServiceConnection, *, amount: int, provider: str, payment_type: str, transaction_id: str
) -> Payment:
    """Settle all open bills of the connection, oldest first, for exactly `amount`; no partial payment.

    Raises NothingToPay or AmountDiffers, changing nothing. A concurrent cash payment either commits first
    (its bills are no longer open here once its locks are released) or waits for this one.
    """
    now = timezone.now()
    with transaction.atomic():
        # Postgres re-checks `status = open` after waiting for a row lock, so bills paid meanwhile drop out.
        bills = list(
            Bill.objects.select_for_update(no_key=True)
            .filter(connection=connection, status=Bill.Status.OPEN)
            .order_by("pk")
        )
        if not bills:
            raise NothingToPay(_("There is nothing to pay on this connection."))
        if sum(bill.total for bill in bills) != amount:
            raise AmountDiffers(_("The amount due changed. Nothing was recorded: check the bills again."))
        payment = pay_locked_bills(
            connection, bills, provider, now, payment_type=payment_type, transaction_id=transaction_id, expires_at=None
        )
        if payment is None:
            raise NothingToPay(_("There is nothing to pay on this connection."))
    return payment
