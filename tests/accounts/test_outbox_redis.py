"""The outbox on a real Celery worker and a Redis broker of the test's own, stopped and started (issue 10).

Each test owns a redis-server on port 16381 without persistence: stopping it loses every queued task, as
an outage may. The SMTP stub listens on port 8251.
"""

import email
import logging
import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import transaction
from django.utils import timezone
from kombu import pools

from accounts import outbox
from accounts.models import Notification, UnreachableAddress
from accounts.outbox import Recipient
from accounts.tasks import send_notification, sweep_outbox
from portal.celery import app
from tests.factories.accounts import UserFactory
from tests.services import RedisServer, smtp_stub, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.usefixtures("test_templates")]
Status = Notification.Status
BROKER_PORT = 16381
SMTP_PORT = 8251


def _use_broker(url: str | None) -> None:
    """Point the Celery app at another broker (None: back to CELERY_BROKER_URL), dropping pooled connections.

    The read and write URLs, because the CELERY_BROKER_URL environment variable outranks `broker_url`.
    """
    app.conf.broker_read_url = app.conf.broker_write_url = url
    pools.reset()
    app._pool = app.amqp._producer_pool = None


@pytest.fixture
def broker(tmp_path):
    server = RedisServer(BROKER_PORT, tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker(broker, transactional_db):
    previous_eager = app.conf.task_always_eager
    _use_broker(broker.url)
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=10) as w:
            # Let the sweep it runs on connecting finish: kombu cannot restore a task held unacknowledged
            # when the connection drops, and the worker would stop at the first outage.
            time.sleep(0.5)
            assert wait_for(broker.idle)
            yield w
            if not broker.running:  # a test that failed mid-outage: let the worker shut down cleanly
                broker.start()
    finally:
        _use_broker(None)
        app.conf.task_always_eager = previous_eager


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", SMTP_PORT, False
    with smtp_stub(SMTP_PORT) as server:
        yield server


@pytest.fixture
def outbox_log():
    """The outbox's warnings, captured on its own logger: a test worker started earlier in the session has set
    the root logger to ERROR and replaced its handlers (Celery hijacks the root logger)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("tirta.outbox")
    previous_level = logger.level
    logger.setLevel(logging.WARNING)
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)
    logger.setLevel(previous_level)


def status_of(row: Notification) -> tuple[str, int]:
    row.refresh_from_db()
    return row.status, row.attempts


def a_message(key: str = "redis-test") -> Notification:
    """A message committed at once (no transaction around it), so its task is published now."""
    [row] = outbox.notify(UserFactory(email="budi@example.test"), "test/hello", {"code": "1"}, dedupe_key=key)
    return row


def test_duplicate_tasks_spend_no_attempt_before_the_retry_is_due(worker, settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_outbox.FailingSMTP"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    finished: list[str] = []

    def count(sender=None, task_id=None, **kwargs):
        if sender.name == send_notification.name:
            finished.append(task_id)

    task_postrun.connect(count, weak=False)
    try:
        row = a_message()
        assert wait_for(lambda: status_of(row) == (Status.QUEUED, 1))  # failed once; its retry waits 30 s
        for _ in range(5):  # what a re-publishing sweeper or a broker redelivery adds
            send_notification.delay(row.pk)
        assert wait_for(lambda: len(finished) >= 6)
    finally:
        task_postrun.disconnect(count)
    assert status_of(row) == (Status.QUEUED, 1)


def test_a_message_whose_send_keeps_killing_its_worker_stops_at_the_attempt_limit(worker, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    row = a_message()
    assert wait_for(lambda: status_of(row) == (Status.SENT, 1))
    an_hour_ago = timezone.now() - timedelta(hours=1)
    # Its third claim was the last: the worker died in the send, the row stayed `sending`.
    Notification.objects.filter(pk=row.pk).update(status=Status.SENDING, claimed_at=an_hour_ago, attempts=3)
    sweep_outbox.delay()
    assert wait_for(lambda: status_of(row) == (Status.FAILED, 3))
    assert len(mail.outbox) == 1


def test_a_repeat_after_a_worker_died_mid_send_carries_the_first_message_id(worker, smtp):
    row = a_message()
    assert wait_for(lambda: status_of(row) == (Status.SENT, 1))
    # The server had accepted the mail when the worker died, before the row was marked sent.
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Notification.objects.filter(pk=row.pk).update(status=Status.SENDING, claimed_at=an_hour_ago)
    sweep_outbox.delay()
    assert wait_for(lambda: len(smtp.received) == 2)
    first, repeat = (email.message_from_bytes(data)["Message-ID"] for data in smtp.received)
    assert first == repeat


def test_a_permanent_refusal_fails_at_once_and_marks_the_address_unreachable(worker, smtp):
    smtp.rcpt_answer = "550 5.1.1 <budi@example.test>: no such user"
    row = a_message()
    assert wait_for(lambda: status_of(row) == (Status.FAILED, 1))
    assert smtp.received == []
    assert UnreachableAddress.objects.filter(channel="email", address="budi@example.test", notification=row).exists()


def test_a_message_committed_while_the_broker_is_down_goes_out_with_the_next_sweep(worker, broker):
    broker.stop()
    row = a_message()  # the publish fails; the caller carries on
    row.refresh_from_db()
    assert (row.status, row.enqueued_at) == (Status.QUEUED, None)
    broker.start()
    sweep_outbox.delay()  # the first sweep after the outage
    assert wait_for(lambda: status_of(row) == (Status.SENT, 1))


def test_the_worker_sweeps_as_soon_as_the_broker_returns(worker, broker):
    broker.stop()  # beat's sweeps fall due now and are lost with the broker
    row = a_message()
    broker.start()  # no sweep is published: the worker reconnects and sweeps by itself
    assert wait_for(lambda: status_of(row) == (Status.SENT, 1))


def test_a_notice_to_many_committed_while_the_broker_is_down_tries_to_publish_once(transactional_db, outbox_log):
    records = outbox_log
    previous_eager = app.conf.task_always_eager
    _use_broker(f"redis://127.0.0.1:{BROKER_PORT}/0")  # nothing listens there: the broker is down
    app.conf.task_always_eager = False
    people = [Recipient.for_contact(f"Warga {n}", email=f"warga{n}@example.test") for n in range(3)]
    try:
        with transaction.atomic():
            outbox.notify_many(((person, f"outage:{n}") for n, person in enumerate(people)), "test/hello", {})
    finally:
        _use_broker(None)
        app.conf.task_always_eager = previous_eager
    assert Notification.objects.filter(status=Status.QUEUED, enqueued_at=None).count() == 3
    warnings = [r.getMessage() for r in records if r.name == "tirta.outbox"]
    assert len(warnings) == 1
    assert warnings[0].startswith("broker unavailable, 3 message(s) left to the next sweep")
