import datetime
import time

import pytest

from billing import tasks
from billing.models import Bill
from tests.factories.billing import BillFactory, LateFeeRuleFactory, MeterReadingFactory, TariffFactory


@pytest.mark.django_db
def test_the_bill_run_task_bills_the_given_period():
    TariffFactory()
    MeterReadingFactory()
    assert tasks.run_bill_run_task.delay("2026-01").get() == 1


@pytest.mark.django_db
def test_the_daily_late_fee_task_charges_overdue_bills():
    LateFeeRuleFactory()
    BillFactory(due_date=datetime.date(2020, 1, 20))
    assert tasks.apply_late_fees.delay().get() == 1


@pytest.mark.redis
def test_a_real_worker_runs_the_bill_run(celery_worker):
    TariffFactory()
    MeterReadingFactory()
    tasks.run_bill_run_task.delay("2026-01")
    deadline = time.monotonic() + 20
    while not Bill.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert Bill.objects.count() == 1
