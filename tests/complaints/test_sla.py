from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from complaints import sla
from complaints.models import Complaint, ComplaintEvent
from complaints.services.sla_alerts import check_sla
from tests.factories.complaints import ComplaintFactory, category
from tests.portal.test_settings import PRODUCTION, manage

WITA = ZoneInfo("Asia/Makassar")
FRIDAY_3PM = datetime(2026, 3, 6, 15, 0, tzinfo=WITA)


@pytest.fixture(autouse=True)
def _office_hours(settings):
    settings.COMPLAINTS_WORKDAYS = {1, 2, 3, 4, 5}
    settings.COMPLAINTS_WORKDAY_START = "08:00"
    settings.COMPLAINTS_WORKDAY_END = "16:00"
    settings.COMPLAINTS_HOLIDAYS = set()


def test_working_hours_continue_on_the_next_working_day_after_the_weekend():
    assert sla.add_working_hours(FRIDAY_3PM, 3) == datetime(2026, 3, 9, 10, 0, tzinfo=WITA)


def test_a_report_at_night_starts_counting_when_the_office_opens():
    tuesday_night = datetime(2026, 3, 3, 22, 30, tzinfo=WITA)
    assert sla.add_working_hours(tuesday_night, 2) == datetime(2026, 3, 4, 10, 0, tzinfo=WITA)


def test_holidays_are_not_working_days(settings):
    settings.COMPLAINTS_HOLIDAYS = {"2026-03-09"}
    assert sla.add_working_hours(FRIDAY_3PM, 3) == datetime(2026, 3, 10, 10, 0, tzinfo=WITA)


def test_indonesian_public_holidays_are_not_working_days():
    # Wednesday 19 March 2026 is Nyepi (Day of Silence): no COMPLAINTS_HOLIDAYS needed for it.
    wednesday_3pm = datetime(2026, 3, 18, 15, 0, tzinfo=WITA)
    assert sla.add_working_hours(wednesday_3pm, 3) == datetime(2026, 3, 20, 10, 0, tzinfo=WITA)


def test_independence_day_is_a_day_off_in_any_year():
    assert sla.is_day_off(datetime(2027, 8, 17).date())  # a Tuesday
    assert not sla.is_day_off(datetime(2027, 8, 18).date())


def test_the_utilitys_own_days_off_add_to_the_national_calendar(settings):
    settings.COMPLAINTS_HOLIDAYS = {"2026-03-20"}  # the utility's anniversary, say
    wednesday_3pm = datetime(2026, 3, 18, 15, 0, tzinfo=WITA)
    assert sla.add_working_hours(wednesday_3pm, 3) == datetime(2026, 3, 23, 10, 0, tzinfo=WITA)


def test_working_hours_are_configurable(settings):
    settings.COMPLAINTS_WORKDAYS = {1, 2, 3, 4, 5, 6}
    settings.COMPLAINTS_WORKDAY_END = "17:00"
    assert sla.add_working_hours(FRIDAY_3PM, 3) == datetime(2026, 3, 7, 9, 0, tzinfo=WITA)


@pytest.mark.django_db
def test_an_emergency_runs_on_the_clock_day_and_night():
    times = sla.due_times(category("burst_pipe"), FRIDAY_3PM)
    assert times["respond_warn_at"] == FRIDAY_3PM + timedelta(hours=1, minutes=30)
    assert times["respond_due_at"] == FRIDAY_3PM + timedelta(hours=2)
    assert times["due_at"] == FRIDAY_3PM + timedelta(hours=24)
    assert times["warn_at"] == FRIDAY_3PM + timedelta(hours=18)


@pytest.mark.django_db
def test_the_warning_point_is_a_setting(settings):
    settings.COMPLAINTS_SLA_WARN_PERCENT = 50
    times = sla.due_times(category("burst_pipe"), FRIDAY_3PM)
    assert times["respond_warn_at"] == FRIDAY_3PM + timedelta(hours=1)
    assert times["warn_at"] == FRIDAY_3PM + timedelta(hours=12)


@pytest.mark.django_db
def test_the_warning_point_counts_working_hours_for_office_matters(settings):
    settings.COMPLAINTS_SLA_WARN_PERCENT = 50
    times = sla.due_times(category("billing"), FRIDAY_3PM)
    assert times["warn_at"] == datetime(2026, 3, 10, 11, 0, tzinfo=WITA)  # 12 of 24 working hours


def test_the_warning_point_defaults_to_75_percent():
    from django.conf import settings

    assert settings.COMPLAINTS_SLA_WARN_PERCENT == 75


@pytest.mark.parametrize("value", ["0", "100", "many"])
def test_a_nonsense_warning_point_stops_the_start(value):
    result = manage("check", env={**PRODUCTION, "COMPLAINTS_SLA_WARN_PERCENT": value})
    assert result.returncode != 0
    assert "COMPLAINTS_SLA_WARN_PERCENT must be" in result.stderr


@pytest.mark.django_db
def test_a_billing_question_counts_three_working_days():
    times = sla.due_times(category("billing"), FRIDAY_3PM)
    assert times["due_at"] == datetime(2026, 3, 11, 15, 0, tzinfo=WITA)


@pytest.mark.django_db
def test_sla_is_edited_per_category():
    burst = category("burst_pipe")
    burst.resolve_hours = 6
    burst.save()
    assert sla.due_times(burst, FRIDAY_3PM)["due_at"] == FRIDAY_3PM + timedelta(hours=6)


def _overdue(**kwargs) -> Complaint:
    past = timezone.now() - timedelta(hours=30)
    return ComplaintFactory(created_at=past, **kwargs)


@pytest.mark.django_db
def test_a_breaching_ticket_alerts_the_assignee_and_supervisors_once_per_threshold(field_user, supervisor):
    complaint = _overdue(status=Complaint.Status.ASSIGNED, assignee=field_user)
    assert check_sla() == 2  # past both the warning point and the due time
    assert check_sla() == 0
    alerts = Notification.objects.filter(template="complaints/sla_alert")
    assert set(alerts.values_list("user", flat=True)) == {field_user.pk, supervisor.pk}
    assert alerts.count() == 4
    assert {alert.context["state"] for alert in alerts} == {"due_soon", "breached"}
    complaint.refresh_from_db()
    assert complaint.sla_warned_at
    assert complaint.sla_breached_at
    assert complaint.events.filter(kind=ComplaintEvent.Kind.SLA, public=False).count() == 2


@pytest.mark.django_db
def test_a_ticket_nearing_its_due_time_is_only_warned(supervisor):
    complaint = ComplaintFactory(status=Complaint.Status.VERIFIED, created_at=timezone.now() - timedelta(hours=20))
    assert check_sla() == 1
    complaint.refresh_from_db()
    assert complaint.sla_warned_at
    assert not complaint.sla_breached_at
    assert complaint.sla_state == "due_soon"


@pytest.mark.django_db
def test_resolved_tickets_raise_no_alerts(supervisor):
    _overdue(status=Complaint.Status.RESOLVED)
    assert check_sla() == 0


@pytest.mark.django_db
def test_the_periodic_task_runs_the_check(supervisor):
    from complaints.tasks import check_sla as task

    _overdue(status=Complaint.Status.VERIFIED)
    assert task.delay().get() == 2


def _received(minutes_ago: int) -> Complaint:
    """A burst pipe, reported `minutes_ago`: first response due within 2 hours, warned after 90 minutes."""
    return ComplaintFactory(created_at=timezone.now() - timedelta(minutes=minutes_ago))


def _alerts(state: str):
    return Notification.objects.filter(template="complaints/sla_alert", context__state=state)


@pytest.mark.django_db
def test_a_new_ticket_nearing_its_first_response_time_warns_the_complaints_officers(complaints_user, supervisor):
    complaint = _received(minutes_ago=100)
    assert check_sla() == 1
    assert set(_alerts("respond_due_soon").values_list("user", flat=True)) == {complaints_user.pk}
    complaint.refresh_from_db()
    assert complaint.respond_warned_at
    assert not complaint.respond_breached_at
    assert complaint.events.get(kind=ComplaintEvent.Kind.SLA).public is False


@pytest.mark.django_db
def test_a_missed_first_response_alerts_once_per_threshold(complaints_user):
    complaint = _received(minutes_ago=150)
    assert check_sla() == 2  # past both the response warning point and the response due time
    assert check_sla() == 0
    assert _alerts("respond_due_soon").count() == 1
    alert = _alerts("respond_breached").get()
    assert alert.context["staff_url"] == reverse("complaints_staff:ticket", args=[complaint.ticket])
    complaint.refresh_from_db()
    assert complaint.respond_breached_at


@pytest.mark.parametrize("status", [Complaint.Status.VERIFIED, Complaint.Status.ASSIGNED, Complaint.Status.REJECTED])
@pytest.mark.django_db
def test_the_first_response_clock_stops_once_the_ticket_leaves_received(complaints_user, field_user, status):
    assignee = field_user if status == Complaint.Status.ASSIGNED else None
    ComplaintFactory(status=status, assignee=assignee, created_at=timezone.now() - timedelta(minutes=150))
    assert check_sla() == 0
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_response_alert_is_sent_once_even_if_its_flag_were_cleared(complaints_user):
    complaint = _received(minutes_ago=100)
    check_sla()
    Complaint.objects.filter(pk=complaint.pk).update(respond_warned_at=None)
    check_sla()
    assert _alerts("respond_due_soon").count() == 1


@pytest.mark.django_db
def test_response_alerts_of_different_tickets_are_all_sent(complaints_user):
    _received(minutes_ago=100)
    _received(minutes_ago=100)
    assert check_sla() == 2
    assert _alerts("respond_due_soon").values("dedupe_key").distinct().count() == 2


def _ticket_with_deadline(status, *, warn_in: timedelta, due_in: timedelta) -> Complaint:
    now = timezone.now()
    return ComplaintFactory(status=status, warn_at=now + warn_in, due_at=now + due_in)


@pytest.mark.django_db
def test_the_sla_queries_and_the_ticket_property_tell_the_same_state():
    S = Complaint.Status
    late = _ticket_with_deadline(S.ASSIGNED, warn_in=timedelta(hours=-3), due_in=timedelta(hours=-1))
    nearly = _ticket_with_deadline(S.IN_PROGRESS, warn_in=timedelta(hours=-1), due_in=timedelta(hours=1))
    fine = _ticket_with_deadline(S.RECEIVED, warn_in=timedelta(hours=1), due_in=timedelta(hours=2))
    stopped = _ticket_with_deadline(S.RESOLVED, warn_in=timedelta(hours=-3), due_in=timedelta(hours=-1))
    assert list(Complaint.objects.breached()) == [late]
    assert list(Complaint.objects.due_soon()) == [nearly]
    assert [t.sla_state for t in (late, nearly, fine, stopped)] == [
        Complaint.SlaState.BREACHED,
        Complaint.SlaState.DUE_SOON,
        Complaint.SlaState.OK,
        "",
    ]
