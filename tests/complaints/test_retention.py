"""Anonymous reporters' names and contact details go a set time after their ticket closed; the ticket stays."""

import datetime
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import AuditEntry
from complaints import tasks
from complaints.models import Complaint
from complaints.services.retention import due_for_forgetting, forget_anonymous_reporters, months_before
from tests.factories.accounts import UserFactory
from tests.factories.complaints import ComplaintFactory
from tests.factories.staff import NotificationFactory

pytestmark = pytest.mark.django_db

S = Complaint.Status


def closed_ticket(months_ago: float, status: str = S.CLOSED, **fields) -> Complaint:
    closed_at = timezone.now() - timedelta(days=30.5 * months_ago)
    return ComplaintFactory(status=status, updated_at=closed_at, created_at=closed_at - timedelta(days=3), **fields)


def test_a_reporter_is_forgotten_once_their_ticket_has_been_closed_for_the_retention_period(settings):
    settings.COMPLAINTS_REPORTER_RETENTION_MONTHS = 12
    ticket = closed_ticket(13, description="Pipa bocor di gang.")

    assert forget_anonymous_reporters() == 1

    ticket.refresh_from_db()
    assert (ticket.reporter_name, ticket.reporter_phone, ticket.reporter_email) == ("", "", "")
    assert ticket.description == "Pipa bocor di gang."
    assert ticket.status == S.CLOSED


def test_a_reporter_is_kept_until_the_retention_period_has_passed(settings):
    settings.COMPLAINTS_REPORTER_RETENTION_MONTHS = 12
    ticket = closed_ticket(11)

    assert forget_anonymous_reporters() == 0

    ticket.refresh_from_db()
    assert ticket.reporter_name == "Wayan Sudarma"


def test_the_retention_period_is_a_setting(settings):
    settings.COMPLAINTS_REPORTER_RETENTION_MONTHS = 3
    ticket = closed_ticket(4)

    forget_anonymous_reporters()

    ticket.refresh_from_db()
    assert ticket.reporter_phone == ""


@pytest.mark.parametrize("status", [S.REJECTED, S.DUPLICATE])
def test_rejected_and_duplicate_tickets_count_as_closed(status):
    ticket = closed_ticket(13, status=status)

    forget_anonymous_reporters()

    ticket.refresh_from_db()
    assert ticket.reporter_name == ""


@pytest.mark.parametrize("status", [S.RECEIVED, S.IN_PROGRESS, S.RESOLVED])
def test_a_ticket_not_closed_keeps_its_reporter_however_old(status):
    ticket = closed_ticket(24, status=status)

    forget_anonymous_reporters()

    ticket.refresh_from_db()
    assert ticket.reporter_name == "Wayan Sudarma"


def test_a_customer_reporting_with_an_account_keeps_their_ticket_details():
    ticket = closed_ticket(24, reporter=UserFactory())

    forget_anonymous_reporters()

    ticket.refresh_from_db()
    assert ticket.reporter_name == "Wayan Sudarma"


def test_the_tickets_sent_messages_lose_the_reporters_name_and_address_too():
    ticket = closed_ticket(13, reporter_phone="+6281300000001", reporter_email="")
    message = NotificationFactory(
        to_name="Wayan Sudarma", to_address="+6281300000001", dedupe_key=f"complaint:{ticket.pk}:received"
    )
    unrelated = NotificationFactory(to_name="Wayan Sudarma", to_address="+6281300000001", dedupe_key="payment:9")

    forget_anonymous_reporters()

    message.refresh_from_db()
    unrelated.refresh_from_db()
    assert (message.to_name, message.to_address) == ("", "")
    assert unrelated.to_address == "+6281300000001"


def test_work_is_done_in_batches_until_none_is_left():
    tickets = [closed_ticket(13) for _ in range(5)]

    assert forget_anonymous_reporters(batch_size=2) == 5

    assert not Complaint.objects.filter(pk__in=[t.pk for t in tickets]).exclude(reporter_name="").exists()
    assert forget_anonymous_reporters(batch_size=2) == 0


def test_each_run_that_forgets_someone_is_audited():
    closed_ticket(13)
    closed_ticket(14)

    forget_anonymous_reporters()

    entry = AuditEntry.objects.get(action="complaint.reporters_forgotten")
    assert entry.actor is None
    assert entry.summary.startswith("2 ")


def test_the_periodic_task_forgets_reporters_past_retention(settings):
    ticket = closed_ticket(13)

    assert tasks.forget_anonymous_reporters.delay().get() == 1

    ticket.refresh_from_db()
    assert ticket.reporter_name == ""


def test_beat_schedules_the_task_by_its_explicit_name(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["complaints-forget-reporters"]

    assert entry["task"] == tasks.forget_anonymous_reporters.name == "complaints.forget_anonymous_reporters"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_forgets_reporters_past_retention(celery_worker):
    ticket = closed_ticket(13)

    tasks.forget_anonymous_reporters.delay()

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and Complaint.objects.get(pk=ticket.pk).reporter_name:
        time.sleep(0.1)
    assert Complaint.objects.get(pk=ticket.pk).reporter_name == ""


def test_months_before_keeps_the_day_or_takes_the_months_last():
    moment = datetime.datetime(2026, 3, 31, 10, 0, tzinfo=datetime.UTC)

    assert months_before(moment, 1) == datetime.datetime(2026, 2, 28, 10, 0, tzinfo=datetime.UTC)
    assert months_before(moment, 12) == datetime.datetime(2025, 3, 31, 10, 0, tzinfo=datetime.UTC)
    assert months_before(moment, 15) == datetime.datetime(2024, 12, 31, 10, 0, tzinfo=datetime.UTC)


@pytest.mark.postgres
def test_the_lookup_uses_its_partial_index():
    ticket = closed_ticket(13)
    # Open anonymous tickets share `reporter IS NULL` with it: with them in the table (and its statistics known)
    # only the partial index is narrow, as in a real utility's table, where the reporter index would read them all.
    ComplaintFactory.create_batch(40, status=S.RECEIVED, area=ticket.area)
    sql, params = due_for_forgetting().only("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_complaint")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "complaint_reporter_to_forget" in plan
