"""The Celery application. Settings come from Django's settings module (keys prefixed CELERY_)."""

import os

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("tirta")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class SweepOutboxOnConnect(bootsteps.StartStopStep):
    """Sweep the outbox each time the worker (re)connects to the broker.

    Beat's sweeps that fell due during a broker outage were never published; this one sends the messages
    the outage left behind as soon as the broker is back, not at the next sweep two minutes later. The
    consumer runs its steps again after every reconnection.
    """

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, consumer) -> None:
        consumer.app.send_task("accounts.sweep_outbox")


app.steps["consumer"].add(SweepOutboxOnConnect)
