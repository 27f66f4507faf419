from celery import shared_task

from complaints.services import outages, retention, sla_alerts


@shared_task(name="complaints.check_sla")
def check_sla() -> int:
    return sla_alerts.check_sla()


@shared_task(name="complaints.notify_outage")
def notify_outage(outage_id: int, revision: int) -> int:
    return outages.notify_affected(outage_id, revision)


@shared_task(name="complaints.announce_pending_outages")
def announce_pending_outages() -> int:
    return outages.announce_pending()


@shared_task(name="complaints.forget_anonymous_reporters")
def forget_anonymous_reporters() -> int:
    return retention.forget_anonymous_reporters()
