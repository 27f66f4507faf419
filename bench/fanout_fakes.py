"""Local fakes of the providers for bench/outbox_fanout.py, loaded by its Celery worker (`-I fanout_fakes`).

Each fake does a provider's local work (the e-mail is built as MIME bytes, a text message encoded) and records
what it sent in Redis, so the benchmark can check that every message went out exactly once. `bench.noop` is the
baseline task: the same Redis bookkeeping and nothing else.
"""

import os

import redis
from celery import shared_task
from django.core.mail.backends.base import BaseEmailBackend

from accounts.channels import MessageBackend

_redis = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])


class FakeEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            message.message().as_bytes()
            _redis.sadd("bench:sent", message.extra_headers["Message-ID"])
            _redis.incr("bench:sends")
        return len(email_messages)


class FakeTextBackend(MessageBackend):
    def send(self, to: str, text: str) -> None:
        text.encode("utf-8")
        _redis.sadd("bench:sent", f"{to}:{text}")
        _redis.incr("bench:sends")


@shared_task(name="bench.noop")
def noop(number: int) -> None:
    _redis.incr("bench:noops")
