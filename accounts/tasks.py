from celery import shared_task

from accounts import outbox


@shared_task(name="accounts.send_notification", bind=True, max_retries=None)
def send_notification(self, notification_id: int) -> None:
    try:
        outbox.deliver(notification_id)
    except outbox.RetryLater as exc:
        if self.request.is_eager:
            return  # in-process mode would retry at once, in a loop; the row stays queued for the sweeper
        raise self.retry(countdown=exc.countdown) from exc


@shared_task(name="accounts.sweep_outbox")
def sweep_outbox() -> int:
    return outbox.sweep()
