import pytest
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
