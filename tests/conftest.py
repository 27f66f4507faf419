"""Shared fixtures: named personas, the strict-CI rule, real Chromium and a real Celery worker.

Tests that need Postgres, Redis or Chromium skip locally when those are missing (saying why), but under
TIRTA_STRICT_TESTS=1 (set by .ci/run) a missing service fails the run instead of skipping it.
"""

import os
import shutil

import pytest
from django.db import connection

from tests.factories.accounts import ConnectionLinkFactory, ServiceConnectionFactory, StaffFactory

STRICT = os.environ.get("TIRTA_STRICT_TESTS") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def skip_or_fail(reason: str) -> None:
    if STRICT:
        pytest.fail(f"{reason} (TIRTA_STRICT_TESTS=1 forbids skipping)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: one test's requests must not throttle the next one's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _second_factor_on_force_login():
    """`force_login(staff)` gives a session verified with the staff member's authenticator (see StaffFactory).

    django-otp does this itself for a user carrying `otp_device` when the request has a `user`; the test
    client's login request has none, so the same step is taken here.
    """
    from django.contrib.auth.signals import user_logged_in
    from django_otp import DEVICE_ID_SESSION_KEY

    def verify_session(sender, request, user, **kwargs):
        device = getattr(user, "otp_device", None)
        if device is not None and device.user_id == user.pk:
            request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id

    user_logged_in.connect(verify_session, dispatch_uid="tests.second_factor_on_force_login")
    yield
    user_logged_in.disconnect(dispatch_uid="tests.second_factor_on_force_login")


@pytest.fixture(autouse=True)
def _services_for_markers(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: set DATABASE_URL (running on the SQLite fallback)")


@pytest.fixture(autouse=True)
def _eager_tasks(request):
    """Tasks run in-process in every test but those that bring a real worker."""
    from portal.celery import app

    if request.node.get_closest_marker("redis"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


# --- Personas ---------------------------------------------------------------------------------------------


@pytest.fixture
def customer(db):
    """A signed-up customer holding one linked connection."""
    link = ConnectionLinkFactory(user__email="customer@example.test", user__full_name="Budi Santoso")
    return link.user


@pytest.fixture
def customer_connection(customer):
    return customer.connections.get()


@pytest.fixture
def other_customer(db):
    link = ConnectionLinkFactory(user__email="other@example.test", user__full_name="Siti Aminah")
    return link.user


@pytest.fixture
def unlinked_connection(db):
    return ServiceConnectionFactory()


@pytest.fixture
def counter_user(db):
    return StaffFactory(email="counter@example.test", full_name="Kasir Loket", role="counter")


@pytest.fixture
def complaints_user(db):
    return StaffFactory(email="complaints@example.test", full_name="Petugas Pengaduan", role="complaints")


@pytest.fixture
def field_user(db):
    return StaffFactory(email="field@example.test", full_name="Petugas Lapangan", role="field")


@pytest.fixture
def billing_user(db):
    return StaffFactory(email="billing@example.test", full_name="Petugas Rekening", role="billing")


@pytest.fixture
def supervisor(db):
    return StaffFactory(email="supervisor@example.test", full_name="Kepala Seksi", role="supervisor")


@pytest.fixture
def admin_user(db):
    """pytest-django's administrator (behind `admin_client`), with an authenticator like all staff."""
    return StaffFactory(email="admin@example.test", full_name="Admin Tirta", is_superuser=True)


@pytest.fixture
def anonymous_user(db):
    return None


@pytest.fixture
def customer_client(client, customer):
    client.force_login(customer)
    return client


# --- Real Chromium ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        skip_or_fail(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(_browser, live_server):
    """A fresh phone-sized browser context (360×740) on the live test server, Indonesian by default."""
    context = _browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, locale="id-ID", timezone_id="Asia/Makassar"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


# --- A real Celery worker on Redis ------------------------------------------------------------------------


@pytest.fixture
def celery_worker(transactional_db):
    """A Celery worker thread consuming from the real broker (CELERY_BROKER_URL)."""
    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        skip_or_fail("needs a broker: set CELERY_BROKER_URL=redis://127.0.0.1:6379/0")
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    app.conf.task_always_eager = False
    app.control.purge()
    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.fixture
def test_templates(settings):
    """Templates under tests/templates (messages made only for tests) are found beside the real ones."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], settings.BASE_DIR / "tests" / "templates"]}]
