"""Reconciliation: when a gateway's notification never arrives, ask the gateway.

A periodic task asks the status API about online payments still pending a few minutes after they started and
feeds each answer to the notification handler, so it is verified, checked and applied exactly like a notification
(and stored like one, with no remote address).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from billing.payments import notifications
from billing.payments.models import Payment, PaymentNotification
from billing.payments.providers import get_provider
from billing.payments.providers.base import ProviderError

logger = logging.getLogger("tirta.payments")


def reconcile_pending(now: datetime | None = None, batch: int = 200) -> int:
    """Ask the gateway about online payments pending longer than PAYMENT_RECONCILE_MINUTES, oldest first;
    returns how many answers changed a payment. A gateway that cannot be asked is tried again next run."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.PAYMENT_RECONCILE_MINUTES)
    due = (
        Payment.objects.filter(status=Payment.Status.PENDING, created_at__lt=cutoff)
        .exclude(provider="counter")
        .order_by("created_at")[:batch]
    )
    changed = 0
    for payment in due:
        try:
            answer = get_provider(payment.provider).fetch_status(payment)
        except ProviderError as error:
            logger.warning("status of payment %s unknown: %s", payment.order_id, error)
            continue
        if answer is None:
            continue
        result = notifications.handle(answer)
        changed += result.detail == PaymentNotification.Outcome.APPLIED
    return changed
