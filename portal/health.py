"""What /healthz reports: can we reach the database and the task broker?

A load balancer asks several times a second on every server, so the checks reuse this process's connections
(the database's persistent one, one pooled Redis client per broker) and each gives up after
HEALTH_CHECK_TIMEOUT seconds instead of hanging the probe.
"""

from functools import cache

import redis
from django.conf import settings
from django.db import connection
from kombu import Connection


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the type is reported, not raised
        return f"error: {type(exc).__name__}"
    return "ok"


@cache
def _redis_client(url: str, timeout: float) -> redis.Redis:
    # One client (and so one pooled connection) per process and broker, named so that operators see it.
    return redis.Redis.from_url(
        url, socket_connect_timeout=timeout, socket_timeout=timeout, client_name="tirta-healthz"
    )


def broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    url, timeout = settings.CELERY_BROKER_URL, settings.HEALTH_CHECK_TIMEOUT
    try:
        if url.startswith(("redis://", "rediss://", "unix://")):
            _redis_client(url, timeout).ping()
        else:  # another kombu transport: no shared client to keep, connect within the time cap
            with Connection(url, connect_timeout=timeout) as conn:
                conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:  # redis and kombu raise many transport-specific errors
        return f"error: {type(exc).__name__}"
    return "ok"


def health() -> tuple[bool, dict[str, str]]:
    states = {"database": database_state(), "broker": broker_state()}
    healthy = all(state in ("ok", "eager") for state in states.values())
    return healthy, states
