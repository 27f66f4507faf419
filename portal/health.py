"""What /healthz reports: can we reach the database and the task broker?"""

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


def broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # kombu raises many transport-specific errors
        return f"error: {type(exc).__name__}"
    return "ok"


def health() -> tuple[bool, dict[str, str]]:
    states = {"database": database_state(), "broker": broker_state()}
    healthy = all(state in ("ok", "eager") for state in states.values())
    return healthy, states
