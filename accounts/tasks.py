from itertools import groupby
from operator import itemgetter

from celery import shared_task

from accounts import delivery


@shared_task(name="accounts.send_notification", bind=True)
def send_notification(self, notification_ids: int | list[int]) -> None:
    """Send outbox rows (a batch, or one id as tasks published before batching carried)."""
    retries = delivery.deliver_many([notification_ids] if isinstance(notification_ids, int) else notification_ids)
    if self.request.is_eager:
        return  # in-process mode would retry at once, in a loop; the rows stay queued for the sweeper
    # New tasks rather than Celery's retry: a failed publish marks the rows for the sweeper instead of
    # dropping the messages.
    for countdown, pks in groupby(sorted(retries, key=itemgetter(1)), key=itemgetter(1)):
        delivery.enqueue([pk for pk, _ in pks], countdown=countdown or None)


@shared_task(name="accounts.sweep_outbox")
def sweep_outbox() -> int:
    return delivery.sweep()
