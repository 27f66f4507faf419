from celery import shared_task

from accounts import delivery


@shared_task(name="accounts.send_notification", bind=True)
def send_notification(self, notification_id: int) -> None:
    try:
        delivery.deliver(notification_id)
    except delivery.RetryLater as exc:
        if self.request.is_eager:
            return  # in-process mode would retry at once, in a loop; the row stays queued for the sweeper
        # A new task rather than Celery's retry: a failed publish marks the row for the sweeper instead of
        # dropping the message.
        delivery.enqueue([notification_id], countdown=exc.countdown)


@shared_task(name="accounts.sweep_outbox")
def sweep_outbox() -> int:
    return delivery.sweep()
