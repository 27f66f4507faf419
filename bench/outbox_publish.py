"""What a failed publish costs the web request that commits a message while the broker is down.

    .venv/bin/python bench/outbox_publish.py

Times `send_notification.apply_async` (what the outbox runs after commit) against a broker that refuses
connections (a stopped Redis: nothing listens on the port) and one whose name does not resolve (a stopped
docker-compose service), under Celery's default publish retry policy and under the project's
(CELERY_TASK_PUBLISH_RETRY_POLICY). The median of ROUNDS calls each; not a test, nothing is asserted.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")

import django

django.setup()

from celery.app.defaults import DEFAULTS  # noqa: E402
from django.conf import settings  # noqa: E402
from kombu import pools  # noqa: E402

from accounts.tasks import send_notification  # noqa: E402
from portal.celery import app  # noqa: E402

ROUNDS = 7
BROKERS = {"refused": "redis://127.0.0.1:1/0", "unresolvable": "redis://redis.invalid:6379/0"}
POLICIES = {"celery default": DEFAULTS["task_publish_retry_policy"], "tirta": settings.CELERY_TASK_PUBLISH_RETRY_POLICY}


def cost(url: str, policy: dict) -> float:
    app.conf.broker_read_url = app.conf.broker_write_url = url
    app.conf.task_always_eager = False
    pools.reset()
    app._pool = app.amqp._producer_pool = None
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        try:
            send_notification.apply_async((0,), retry_policy=policy)
        except Exception:
            timings.append(time.perf_counter() - start)
    return statistics.median(timings)


if __name__ == "__main__":
    for broker, url in BROKERS.items():
        for name, policy in POLICIES.items():
            print(f"broker {broker:<13} policy {name:<15} {cost(url, policy) * 1000:8.1f} ms per failed publish")
