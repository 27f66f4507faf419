import datetime
import io
import random

import pytest

from accounts.models import CustomerClass
from billing import demo
from billing.models import Bill, MeterReading, SelfReading, Tariff
from tests.factories.accounts import ServiceConnectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo's meter photos


def test_demo_data_gives_every_class_a_tariff_and_each_connection_a_year_of_bills():
    CustomerClass.objects.create(code="IND", name="Industri")
    connections = [ServiceConnectionFactory() for _ in range(5)]
    demo.seed(rng=random.Random(1), progress=False, stdout=io.StringIO())
    assert Tariff.objects.count() == CustomerClass.objects.count()
    for connection in connections:
        assert Bill.objects.filter(connection=connection).count() == 12
    assert MeterReading.objects.filter(connection=connections[0]).count() >= 12


def seed_on(monkeypatch, today: datetime.date, connections: int) -> datetime.date:
    monkeypatch.setattr(demo.timezone, "localdate", lambda *args: today)
    for _ in range(connections):
        ServiceConnectionFactory()
    demo.seed(rng=random.Random(1), progress=False, stdout=io.StringIO())
    return today.replace(day=1)


def test_before_the_due_day_this_months_bills_are_all_open(monkeypatch):
    current = seed_on(monkeypatch, datetime.date(2026, 11, 10), connections=5)
    assert set(Bill.objects.filter(period=current).values_list("status", flat=True)) == {Bill.Status.OPEN}


def test_after_the_due_day_most_of_this_months_bills_are_paid_and_some_overdue(monkeypatch):
    current = seed_on(monkeypatch, datetime.date(2026, 11, 28), connections=40)
    statuses = list(Bill.objects.filter(period=current).values_list("status", flat=True))
    assert statuses.count(Bill.Status.PAID) > len(statuses) / 2
    assert Bill.Status.OPEN in statuses


def test_demo_data_leaves_customers_meter_stands_waiting_for_review():
    for _ in range(4):
        ServiceConnectionFactory()
    demo.seed(rng=random.Random(1), progress=False, stdout=io.StringIO())
    waiting = SelfReading.objects.filter(status=SelfReading.Status.PENDING)
    assert waiting.count() == 2
    assert all(item.photo and item.usage is not None for item in waiting)
    assert any(item.check_reason for item in waiting)  # one far above usual, as the customer confirmed it
