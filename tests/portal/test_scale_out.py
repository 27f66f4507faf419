"""Scaling out: two production servers on one Postgres and one Redis behave as one portal.

Nothing that matters may live in a process: a sign-in made on one server is valid on the other, rate limits and
the sign-in lockout count requests to both together, and a payment notification delivered to both at once settles
once. Each server is gunicorn with the production settings (DEBUG off, Redis cache, secure cookies behind a TLS
proxy), started as the Dockerfile starts it.
"""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection as db
from django.urls import reverse

from tests.conftest import skip_or_fail
from tests.factories.accounts import DEFAULT_PASSWORD, ConnectionLinkFactory
from tests.factories.payments import SERVER_KEY, notification, open_bills_of, pending_payment

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
LOOKUP_LIMIT = 4
LOGIN_FAILURE_LIMIT = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """One gunicorn on loopback, spoken to as a browser behind the utility's TLS proxy would."""

    port: int
    process: subprocess.Popen

    def request(self, method: str, path: str, cookies: dict[str, str], body: bytes = b"", **headers: str):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Origin": f"https://127.0.0.1:{self.port}",
            "Referer": f"https://127.0.0.1:{self.port}/",
            **headers,
        }
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                cookies[name] = morsel.value
        conn.close()
        return response.status, response.headers, text


@dataclass
class Browser:
    """A cookie jar shared across servers, like one person whose requests a load balancer spreads."""

    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, server: Server, path: str):
        return server.request("GET", path, self.cookies)

    def post_form(self, server: Server, path: str, data: dict[str, str]):
        if "csrftoken" not in self.cookies:
            self.get(server, path)
        form = {"csrfmiddlewaretoken": self.cookies["csrftoken"], **data}
        return server.request(
            "POST",
            path,
            self.cookies,
            urlencode(form).encode(),
            **{"Content-Type": "application/x-www-form-urlencoded"},
        )


def _redis_url() -> str:
    if not settings.CELERY_BROKER_URL:
        skip_or_fail("needs Redis: set CELERY_BROKER_URL=redis://127.0.0.1:6379/0")
    return settings.CELERY_BROKER_URL


def _database_url() -> str:
    params = db.settings_dict
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    return (
        f"postgres://{user}{password}@{params.get('HOST') or '127.0.0.1'}:{params.get('PORT') or 5432}/{params['NAME']}"
    )


def _production_env(cache_url: str, static_root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "STATIC_ROOT": str(static_root),
        "DEBUG": "0",
        "SECRET_KEY": "scale-out-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
        "SECURE_SSL_REDIRECT": "1",
        "DATABASE_URL": _database_url(),
        "CACHE_URL": cache_url,
        "CELERY_BROKER_URL": _redis_url(),
        "PAYMENT_SERVER_KEY": SERVER_KEY,
        "PAYMENT_PROVIDER": "midtrans",
        "PAYMENT_SANDBOX_ENABLED": "0",
        "BILL_LOOKUP_RATE": f"{LOOKUP_LIMIT}/m",
        "LOGIN_FAILURE_LIMIT": str(LOGIN_FAILURE_LIMIT),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def _start(port: int, env: dict[str, str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    return subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _wait_until_serving(server: Server) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"server on {server.port} exited: {server.process.stderr.read().decode()[-2000:]}")
        try:
            status, _, _ = server.request("GET", "/healthz", {})
            if status in (200, 503):
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"server on {server.port} did not answer within 30 s")


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """Production pages need the hashed static manifest, as the image builds it."""
    root = tmp_path_factory.mktemp("static")
    env = {**os.environ, "DEBUG": "0", "STATIC_ROOT": str(root)}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    return root


@pytest.fixture(scope="module")
def two_servers(django_db_setup, static_root):
    """Started once for the module: each test's rows are committed, so both servers see them."""
    # The shared cache lives beside the broker in one Redis, as in docker-compose.
    env = _production_env(_redis_url(), static_root)
    ports = _free_port(), _free_port()
    servers = [Server(port, _start(port, env)) for port in ports]
    try:
        for server in servers:
            _wait_until_serving(server)
        yield servers
    finally:
        for server in servers:
            server.process.terminate()
        for server in servers:
            server.process.wait(timeout=20)


@pytest.fixture(autouse=True)
def _empty_shared_cache(transactional_db):
    """Rate limits live in the servers' shared cache: each test starts with none counted."""
    import redis

    cache = redis.Redis.from_url(_redis_url())
    for key in cache.scan_iter(":1:*"):  # Django's cache keys; the broker's queues stay
        cache.delete(key)


@pytest.fixture
def customer_with_bill(transactional_db, settings):
    # The servers verify passwords with the production hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    link = ConnectionLinkFactory(user__email="budi@example.test", user__full_name="Budi Santoso")
    open_bills_of(link.connection, 87500)
    return link


def sign_in(browser: Browser, server: Server, email: str, password: str):
    return browser.post_form(server, reverse("accounts:login"), {"username": email, "password": password})


def test_a_sign_in_on_one_server_is_valid_on_the_other(two_servers, customer_with_bill):
    first, second = two_servers
    browser = Browser()

    status, _, _ = sign_in(browser, first, "budi@example.test", DEFAULT_PASSWORD)
    assert status == 302, "the sign-in form accepted the password"

    status, _, page = browser.get(second, reverse("portal:dashboard"))
    assert status == 200
    assert "Budi" in page, "the dashboard greets the person signed in on the other server"
    assert customer_with_bill.connection.account_number in page


def test_bill_lookups_count_against_one_limit_across_servers(two_servers, customer_with_bill):
    browser = Browser()
    account = customer_with_bill.connection.account_number
    path = reverse("billing:lookup")

    statuses = [browser.post_form(two_servers[i % 2], path, {"account_number": account})[0] for i in range(6)]

    assert statuses[:LOOKUP_LIMIT] == [200] * LOOKUP_LIMIT
    assert statuses[LOOKUP_LIMIT:] == [429] * (6 - LOOKUP_LIMIT), "the limit counted both servers' lookups together"


def test_failed_sign_ins_on_both_servers_lock_the_account_on_both(two_servers, customer_with_bill):
    first, second = two_servers
    for attempt in range(LOGIN_FAILURE_LIMIT):
        sign_in(Browser(), (first, second)[attempt % 2], "budi@example.test", "wrong-password")

    browser = Browser()
    status, _, page = sign_in(browser, first, "budi@example.test", DEFAULT_PASSWORD)

    assert status != 302, "the right password no longer signs in while the account is locked"
    assert 'id="locked-out"' in page
    assert browser.get(first, reverse("portal:dashboard"))[0] == 302, "nobody is signed in"


def test_one_notification_delivered_to_both_servers_at_once_settles_once(two_servers, customer_with_bill):
    payment = pending_payment(list(customer_with_bill.connection.bills.all()), provider="midtrans")
    body = json.dumps(notification(payment)).encode()
    path = reverse("payments:notify")
    statuses: list[int] = []
    barrier = threading.Barrier(10)

    def deliver(server: Server) -> None:
        barrier.wait()
        statuses.append(server.request("POST", path, {}, body, **{"Content-Type": "application/json"})[0])

    threads = [threading.Thread(target=deliver, args=(two_servers[i % 2],)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    Payment = apps.get_model("billing", "Payment")
    Receipt = apps.get_model("billing", "Receipt")
    Notification = apps.get_model("accounts", "Notification")
    assert statuses == [200] * 10
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PAID
    assert Receipt.objects.filter(payment=payment).count() == 1
    assert Notification.objects.filter(template="billing/receipt").count() == 1
    assert not customer_with_bill.connection.bills.filter(status="open").exists()


def test_servers_answer_health_from_the_shared_services(two_servers):
    for server in two_servers:
        status, _, text = server.request("GET", "/healthz", {})
        assert status == 200
        assert re.search(r'"database": "ok"', text)
        assert re.search(r'"broker": "ok"', text)
