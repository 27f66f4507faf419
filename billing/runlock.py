"""Tells a bill run still in progress from one that was interrupted.

Both leave the period's `BillRun` row `running`; only a live run holds a Postgres session-level advisory
lock on its period, and the database drops that lock when its process dies. (SQLite serves one process
at a time: every unfinished run found there was interrupted.)
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.db import connection as db

LOCK_NAMESPACE = 0x7B1  # arbitrary: keeps these locks apart from any other advisory lock in the database


@contextmanager
def announce_run(period: date) -> Iterator[bool]:
    """Mark this process as running the bill run of `period` while the block runs; yields True when another
    run of the same period is already in progress."""
    if db.vendor != "postgresql":
        yield False
        return
    key = period.year * 100 + period.month
    with db.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, key])
        alone = cursor.fetchone()[0]
    try:
        yield not alone
    finally:
        if alone:
            with db.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, key])
