from celery import shared_task

from complaints.services import outages, sla_alerts


@shared_task(name="complaints.check_sla")
def check_sla() -> int:
    return sla_alerts.check_sla()


@shared_task(name="complaints.notify_outage")
def notify_outage(outage_id: int, revision: int) -> int:
    return outages.notify_affected(outage_id, revision)
