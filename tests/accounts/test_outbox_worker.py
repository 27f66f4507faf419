import time

import pytest
from django.core import mail

from accounts import outbox
from accounts.models import Notification
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.usefixtures("test_templates")


@pytest.mark.redis
def test_a_real_worker_on_redis_delivers_a_committed_message(celery_worker):
    user = UserFactory(email="budi@example.test")
    [row] = outbox.notify(user, "test/hello", {"code": "77"}, dedupe_key="worker-test")  # autocommit: on_commit fires
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not mail.outbox:
        time.sleep(0.1)
    assert [m.subject for m in mail.outbox] == [f"Hello {user.full_name}"]
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT
