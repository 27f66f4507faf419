import datetime
import io
import threading

import pytest
from django.core.management import call_command
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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_run_started_beside_one_in_progress_says_so_rather_than_resumed():
    TariffFactory()
    for _ in range(6):
        MeterReadingFactory()
    first_batch_done, carry_on = threading.Event(), threading.Event()
    summaries = []

    def pause_after_the_first_batch(seen: int) -> None:
        first_batch_done.set()
        carry_on.wait(timeout=30)

    def first_run() -> None:
        try:
            summaries.append(run_bill_run(JAN, batch_size=2, progress=pause_after_the_first_batch))
        finally:
            db.close()

    thread = threading.Thread(target=first_run)
    thread.start()
    try:
        assert first_batch_done.wait(timeout=30)
        out = io.StringIO()
        call_command("run_billing", "2026-01", "--no-progress", stdout=out)
    finally:
        carry_on.set()
        thread.join()
    assert "Another bill run of 2026-01 was already in progress" in out.getvalue()
    assert "Resumed" not in out.getvalue()
    assert Bill.objects.count() == 6
    assert (summaries[0].resumed, summaries[0].beside_another) == (False, False)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_run_left_unfinished_by_a_dead_process_is_resumed():
    TariffFactory()
    MeterReadingFactory()
    BillRun.objects.create(period=JAN)  # running, but no process holds the period any more
    out = io.StringIO()
    call_command("run_billing", "2026-01", "--no-progress", stdout=out)
    assert "Resumed the interrupted bill run of 2026-01." in out.getvalue()
    assert "already in progress" not in out.getvalue()
