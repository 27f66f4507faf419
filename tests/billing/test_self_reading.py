"""Reading your own meter, the rules: the window, what needs the customer's second look, one stand waiting per
connection and period, and what accepting or rejecting does (on Postgres: locks and partial unique indexes)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from accounts.models import ConnectionLink, Notification
from billing import self_readings
from billing.billrun import run_bill_run
from billing.models import Bill, BillLine, MeterReading, SelfReading
from billing.self_readings import NeedsCheck, SelfReadingRefused, window_period
from tests.billing.self_reading_helpers import (  # noqa: F401
    IN_WINDOW,
    LAST_STAND,
    MAY,
    _window_and_media,
    photo,
    with_history,
)
from tests.factories.accounts import AreaFactory, ServiceConnectionFactory
from tests.factories.billing import BillFactory, MeterReadingFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
Status = SelfReading.Status


def sent_stand(connection, reading, *, user=None, checked=False):
    draft = self_readings.start(connection, reading, photo(), None, user=user, today=IN_WINDOW)
    return self_readings.confirm(draft.pk, checked=checked, today=IN_WINDOW)


@pytest.fixture
def connection(customer_connection):
    return with_history(customer_connection)


# --- The window ---------------------------------------------------------------------------------------------


def test_the_window_is_the_configured_days_of_the_month_for_that_month(settings):
    settings.SELF_READING_FIRST_DAY, settings.SELF_READING_LAST_DAY = 1, 4
    assert window_period(datetime.date(2026, 5, 1)) == MAY
    assert window_period(datetime.date(2026, 5, 4)) == MAY
    assert window_period(datetime.date(2026, 5, 5)) is None


def test_a_window_across_the_month_end_counts_its_last_days_for_the_next_month(settings):
    settings.SELF_READING_FIRST_DAY, settings.SELF_READING_LAST_DAY = 26, 4
    assert window_period(datetime.date(2026, 4, 27)) == MAY
    assert window_period(datetime.date(2026, 12, 30)) == datetime.date(2027, 1, 1)
    assert window_period(datetime.date(2026, 5, 2)) == MAY
    assert window_period(datetime.date(2026, 5, 15)) is None


def test_outside_the_window_no_stand_is_taken(connection, settings):
    settings.SELF_READING_FIRST_DAY, settings.SELF_READING_LAST_DAY = 1, 4
    with pytest.raises(SelfReadingRefused):
        self_readings.start(connection, 560, photo(), None, user=None, today=datetime.date(2026, 5, 20))
    assert not SelfReading.objects.exists()


# --- What the stand means ---------------------------------------------------------------------------------


def test_the_preview_shows_usage_since_the_last_reading_and_the_bill_block_by_block(connection):
    found = self_readings.assess(connection, MAY, LAST_STAND + 25)
    assert (found.previous, found.usage) == (LAST_STAND, 25)
    usage_lines = [(line.quantity, line.unit_price) for line in found.lines if line.kind == BillLine.Kind.USAGE]
    assert usage_lines == [(10, 2000), (10, 3000), (5, 5000)]
    assert found.total == 20000 + 30000 + 25000 + 10000 + 5000  # blocks, beban 1/2", administration


def test_an_ordinary_stand_is_sent_without_a_second_look(connection, customer):
    item = sent_stand(connection, LAST_STAND + 16, user=customer)
    assert (item.status, item.usage, item.check_reason) == (Status.PENDING, 16, "")
    assert item.submitted_by == customer


def test_a_stand_lower_than_the_last_one_is_not_sent_until_the_customer_confirms_it(connection):
    draft = self_readings.start(connection, LAST_STAND - 1, photo(), None, user=None, today=IN_WINDOW)
    assert draft.check_reason
    with pytest.raises(NeedsCheck):
        self_readings.confirm(draft.pk, checked=False, today=IN_WINDOW)
    assert SelfReading.objects.get(pk=draft.pk).status == Status.DRAFT
    assert self_readings.confirm(draft.pk, checked=True, today=IN_WINDOW).status == Status.PENDING


def test_usage_far_above_usual_is_not_sent_until_the_customer_confirms_it(connection):
    draft = self_readings.start(connection, LAST_STAND + 60, photo(), None, user=None, today=IN_WINDOW)
    assert "15" in draft.check_reason  # the usual monthly usage, for comparison
    with pytest.raises(NeedsCheck):
        self_readings.confirm(draft.pk, checked=False, today=IN_WINDOW)
    assert self_readings.confirm(draft.pk, checked=True, today=IN_WINDOW).status == Status.PENDING


def test_the_photo_is_kept_without_metadata_but_its_capture_time_is_kept_for_staff(connection):
    from PIL import Image

    from accounts.photos import capture_time
    from tests.billing.self_reading_helpers import upload

    original = upload(taken="2026:05:03 07:15:00")
    taken = capture_time(original)
    draft = self_readings.start(connection, LAST_STAND + 10, photo(), taken, user=None, today=IN_WINDOW)
    assert draft.photo_taken_at.isoformat().startswith("2026-05-03T07:15:00")
    with Image.open(draft.photo.path) as stored:
        assert not stored.getexif()


# --- One stand per connection and period ------------------------------------------------------------------


def test_a_newer_stand_replaces_the_one_still_waiting_for_the_same_period(connection):
    first = sent_stand(connection, LAST_STAND + 10)
    second = sent_stand(connection, LAST_STAND + 12)
    first.refresh_from_db()
    assert (first.status, second.status) == (Status.REPLACED, Status.PENDING)


def test_the_database_refuses_two_stands_waiting_for_the_same_connection_and_period(connection):
    first = sent_stand(connection, LAST_STAND + 10)
    with pytest.raises(IntegrityError), transaction.atomic():
        SelfReading.objects.create(
            connection=connection, period=MAY, reading=1, photo=first.photo.name, status=Status.PENDING
        )


def test_no_stand_is_taken_once_the_meter_reader_has_read_the_period(connection):
    MeterReadingFactory(connection=connection, period=MAY, reading=LAST_STAND + 9, previous_reading=LAST_STAND)
    with pytest.raises(SelfReadingRefused):
        self_readings.start(connection, LAST_STAND + 10, photo(), None, user=None, today=IN_WINDOW)


def test_no_stand_is_taken_once_the_period_is_billed(connection):
    BillFactory(connection=connection, period=MAY)
    with pytest.raises(SelfReadingRefused):
        self_readings.start(connection, LAST_STAND + 10, photo(), None, user=None, today=IN_WINDOW)


# --- Review -------------------------------------------------------------------------------------------------


def test_an_accepted_stand_becomes_the_periods_meter_reading_from_the_customer(connection, billing_user):
    item = self_readings.accept(sent_stand(connection, LAST_STAND + 16).pk, billing_user)
    reading = MeterReading.objects.get(connection=connection, period=MAY)
    assert (reading.reading, reading.usage, reading.source) == (LAST_STAND + 16, 16, MeterReading.Source.CUSTOMER)
    assert (item.status, item.meter_reading, item.reviewed_by) == (Status.ACCEPTED, reading, billing_user)


def test_accepting_tells_the_customer(connection, customer, billing_user):
    self_readings.accept(sent_stand(connection, LAST_STAND + 16).pk, billing_user)
    told = Notification.objects.get(template="billing/self_reading_accepted", user=customer)
    assert told.context["reading"] == LAST_STAND + 16


def test_a_rejected_stand_leaves_no_reading_and_tells_the_customer_why(connection, customer, billing_user):
    item = self_readings.reject(sent_stand(connection, LAST_STAND + 16).pk, billing_user, "The digits are blurred")
    assert item.status == Status.REJECTED
    assert not MeterReading.objects.filter(connection=connection, period=MAY).exists()
    told = Notification.objects.get(template="billing/self_reading_rejected", user=customer)
    assert told.context["reason"] == "The digits are blurred"


def test_a_rejection_needs_a_reason(connection, billing_user):
    item = sent_stand(connection, LAST_STAND + 16)
    with pytest.raises(SelfReadingRefused):
        self_readings.reject(item.pk, billing_user, "  ")
    item.refresh_from_db()
    assert item.status == Status.PENDING


def test_a_stand_is_reviewed_once(connection, billing_user):
    item = self_readings.accept(sent_stand(connection, LAST_STAND + 16).pk, billing_user)
    with pytest.raises(SelfReadingRefused):
        self_readings.reject(item.pk, billing_user, "too late")
    assert Notification.objects.filter(template="billing/self_reading_rejected").count() == 0


def test_a_stand_is_not_accepted_over_a_reading_taken_since(connection, billing_user):
    item = sent_stand(connection, LAST_STAND + 16)
    MeterReadingFactory(connection=connection, period=MAY, reading=LAST_STAND + 20, previous_reading=LAST_STAND)
    with pytest.raises(SelfReadingRefused):
        self_readings.accept(item.pk, billing_user)
    assert MeterReading.objects.get(connection=connection, period=MAY).source == MeterReading.Source.FIELD
    item.refresh_from_db()
    assert item.status == Status.PENDING


def test_an_accepted_stand_reaching_a_dearer_block_alerts_those_who_asked(connection, customer, billing_user):
    ConnectionLink.objects.filter(user=customer, connection=connection).update(alert_block=True)
    self_readings.accept(sent_stand(connection, LAST_STAND + 16).pk, billing_user)
    assert Notification.objects.filter(template="billing/block_reached", user=customer).exists()


def test_the_bill_run_bills_an_accepted_stand_as_an_actual_reading(connection, billing_user):
    self_readings.accept(sent_stand(connection, LAST_STAND + 16).pk, billing_user)
    run_bill_run(MAY)
    bill = Bill.objects.get(connection=connection, period=MAY)
    assert (bill.estimated, bill.current_reading, bill.usage) == (False, LAST_STAND + 16, 16)


# --- The field readers' list --------------------------------------------------------------------------------


def test_the_list_still_to_read_leaves_out_accepted_stands_and_read_meters(billing_user):
    area = AreaFactory()
    accepted, rejected, read, unread = (with_history(ServiceConnectionFactory(area=area)) for _ in range(4))
    self_readings.accept(sent_stand(accepted, LAST_STAND + 5).pk, billing_user)
    self_readings.reject(sent_stand(rejected, LAST_STAND + 5).pk, billing_user, "blurred")
    MeterReadingFactory(connection=read, period=MAY, reading=LAST_STAND + 5, previous_reading=LAST_STAND)
    ServiceConnectionFactory()  # another area
    listed = [row[0] for row in self_readings.still_to_read(area, MAY)]
    assert sorted(listed) == sorted([rejected.account_number, unread.account_number])
    assert {row[4] for row in self_readings.still_to_read(area, MAY)} == {LAST_STAND}


@pytest.mark.django_db(transaction=True)
def test_two_stands_confirmed_at_once_leave_one_waiting(connection):
    import threading

    from django.db import connection as db

    drafts = [
        self_readings.start(connection, LAST_STAND + extra, photo(), None, user=None, today=IN_WINDOW)
        for extra in (10, 12)
    ]
    barrier = threading.Barrier(2)
    errors = []

    def confirm(pk: int) -> None:
        try:
            barrier.wait()
            self_readings.confirm(pk, checked=False, today=IN_WINDOW)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=confirm, args=(draft.pk,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = sorted(SelfReading.objects.values_list("status", flat=True))
    assert statuses == [Status.PENDING, Status.REPLACED]
