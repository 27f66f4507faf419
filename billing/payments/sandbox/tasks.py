"""The sandbox gateway's notification task: it retries like a real gateway until our endpoint answers 2xx."""

import logging
import threading
import time

from celery import shared_task
from django.conf import settings

from billing.payments.sandbox import gateway as sandbox

logger = logging.getLogger("tirta.payments.sandbox")

SANDBOX_MAX_RETRIES = 8


def sandbox_backoff(retries: int) -> int:
    """5 s, 10 s, 20 s … (PAYMENT_SANDBOX_RETRY_SECONDS doubled) capped at 10 min, like a real gateway."""
    return min(settings.PAYMENT_SANDBOX_RETRY_SECONDS * 2**retries, 600)


def _notify_once(body: dict[str, str], url: str) -> str | None:
    """POST the notification once; None when our endpoint answered 2xx, else what went wrong."""
    try:
        status = sandbox.post_notification(body, url)
    except OSError as exc:
        return str(exc)
    return None if 200 <= status < 300 else f"HTTP {status}"


def _retry_in_process(body: dict[str, str], url: str) -> None:
    """The retries of a process without a broker (the embedded demo), with the worker's backoff."""
    for retries in range(SANDBOX_MAX_RETRIES):
        time.sleep(sandbox_backoff(retries))
        error = _notify_once(body, url)
        if error is None:
            return
        logger.warning("sandbox notification of %s failed again (%s)", body.get("order_id"), error)
    logger.error("sandbox gave up notifying order %s", body.get("order_id"))


@shared_task(bind=True, name="billing.payments.sandbox_notify", max_retries=SANDBOX_MAX_RETRIES)
def sandbox_notify(self, body: dict[str, str], url: str) -> None:
    """The sandbox gateway's server-to-server notification to `url`; retried with backoff until we answer 2xx."""
    error = _notify_once(body, url)
    if error is None:
        return
    if self.request.is_eager:
        # No broker to schedule a retry on: retry beside the request, which must not wait for it.
        logger.warning("sandbox notification of %s failed (%s), retrying in-process", body.get("order_id"), error)
        threading.Thread(target=_retry_in_process, args=(body, url), name="sandbox-notify", daemon=True).start()
        return
    if self.request.retries >= SANDBOX_MAX_RETRIES:
        logger.error("sandbox gave up notifying order %s: %s", body.get("order_id"), error)
        return
    logger.warning("sandbox notification of %s failed (%s), retrying", body.get("order_id"), error)
    raise self.retry(countdown=sandbox_backoff(self.request.retries))
