import socket

import pytest
import redis
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_reports_the_database_and_eager_tasks(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


def test_health_is_503_when_the_broker_cannot_be_reached(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"


@pytest.mark.redis
def test_health_is_ok_with_a_live_broker(client, settings):
    if not settings.CELERY_BROKER_URL:
        from tests.conftest import skip_or_fail

        skip_or_fail("needs a broker: set CELERY_BROKER_URL")
    response = client.get(reverse("healthz"))
    assert response.json()["broker"] == "ok"


def test_health_gives_up_on_a_broker_that_accepts_but_never_answers(client, settings):
    with socket.create_server(("127.0.0.1", 0)) as silent:  # the kernel accepts; nobody ever replies
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        settings.HEALTH_CHECK_TIMEOUT = 0.2
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] == "error: TimeoutError"


@pytest.mark.redis
def test_health_checks_reuse_one_broker_connection_per_process(client, settings):
    if not settings.CELERY_BROKER_URL:
        from tests.conftest import skip_or_fail

        skip_or_fail("needs a broker: set CELERY_BROKER_URL")
    for _ in range(5):
        assert client.get(reverse("healthz")).json()["broker"] == "ok"
    server = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    database = server.connection_pool.connection_kwargs.get("db", 0)
    probes = [c for c in server.client_list() if c["name"] == "tirta-healthz" and int(c["db"]) == database]
    assert len(probes) == 1


def test_health_asks_the_database_one_query(client, settings, django_assert_num_queries):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_assert_num_queries(1):
        assert client.get(reverse("healthz")).json()["database"] == "ok"
