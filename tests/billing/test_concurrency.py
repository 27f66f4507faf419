import datetime
import threading

import pytest
from django.db import connection as db

from billing.billrun import run_bill_run
from billing.models import Bill, BillLine, BillRun
from tests.factories.billing import MeterReadingFactory, TariffFactory

JAN = datetime.date(2026, 1, 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_bill_runs_create_each_bill_once():
    TariffFactory()
    for _ in range(40):
        MeterReadingFactory()
    barrier = threading.Barrier(2)
    summaries, errors = [], []

    def run() -> None:
        try:
            barrier.wait()
            summaries.append(run_bill_run(JAN, batch_size=3))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Bill.objects.count() == 40
    assert sum(s.created for s in summaries) == 40
    assert BillLine.objects.count() == 40 * 4
    assert BillRun.objects.get(period=JAN).created == 40
