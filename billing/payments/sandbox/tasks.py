"""The sandbox gateway's notification task: it retries like a real gateway until our endpoint answers 2xx."""

import logging

from celery import shared_task
from django.conf import settings

from billing.payments.sandbox import gateway as sandbox

logger = logging.getLogger("tirta.payments.sandbox")

SANDBOX_MAX_RETRIES = 8


def sandbox_backoff(retries: int) -> int:
    """5 s, 10 s, 20 s … (PAYMENT_SANDBOX_RETRY_SECONDS doubled) capped at 10 min, like a real gateway."""
    return min(settings.PAYMENT_SANDBOX_RETRY_SECONDS * 2**retries, 600)


@shared_task(bind=True, name="billing.payments.sandbox_notify", max_retries=SANDBOX_MAX_RETRIES)
def sandbox_notify(self, body: dict[str, str]) -> None:
    """The sandbox gateway's server-to-server notification; retried with backoff until we answer 2xx."""
    try:
        status = sandbox.post_notification(body)
    except OSError as exc:
        status, error = None, str(exc)
    else:
        error = f"HTTP {status}"
    if status is not None and 200 <= status < 300:
        return
    if self.request.is_eager:
        # No broker to schedule a retry on (the embedded demo): the payment stays pending until it expires.
        logger.error("sandbox could not notify order %s (%s); no broker to retry on", body.get("order_id"), error)
        return
    if self.request.retries >= SANDBOX_MAX_RETRIES:
        logger.error("sandbox gave up notifying order %s: %s", body.get("order_id"), error)
        return
    logger.warning("sandbox notification of %s failed (%s), retrying", body.get("order_id"), error)
    raise self.retry(countdown=sandbox_backoff(self.request.retries))
