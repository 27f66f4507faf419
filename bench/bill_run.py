"""Benchmark of the bill run against a raw binary COPY of the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tirta_billing \
        .venv/bin/python bench/bill_run.py --connections 100000

Creates a scratch database next to DATABASE_URL's (name + "_bench", dropped and re-created), migrates it,
seeds N active connections with a reading each (3 % without one, so they get estimated), times
`run_bill_run`, then times a psycopg 3 binary COPY of as many bill and line rows into plain tables of the
same columns. Prints rows per second for both and the ratio. Not a test: nothing is asserted.
"""

import argparse
import os
import random
import resource
import sys
import time
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
PERIOD = date(2026, 1, 1)
SIZES = ["1/2"] * 8 + ["3/4", "1"]


def scratch_url(base: str) -> tuple[str, str]:
    parts = urlsplit(base)
    name = parts.path.lstrip("/") + "_bench"
    return urlunsplit(parts._replace(path="/postgres")), urlunsplit(parts._replace(path=f"/{name}"))


def recreate(admin_url: str, url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def seed(n: int, rng: random.Random) -> None:
    from django.db import connection

    from accounts.models import Area, CustomerClass
    from billing.demo import _tariffs

    classes = [CustomerClass.objects.create(code=code, name=code) for code in ("SOS", "R1", "R2", "R3", "NIA")]
    _tariffs()
    area = Area.objects.create(name="Bench", level=Area.Level.KELURAHAN, code="BENCH")
    now = datetime.now().astimezone()
    cursor = connection.cursor().cursor
    with cursor.copy("COPY accounts_customer (name, phone, email, address, created_at) FROM STDIN") as copy:
        for i in range(n):
            copy.write_row((f"Pelanggan {i}", "", "", f"Jl. Bench {i}", now))
    cursor.execute("SELECT min(id) FROM accounts_customer")
    first_customer = cursor.fetchone()[0]
    columns = (
        "account_number, customer_id, customer_class_id, area_id, address, meter_number, meter_size, status, created_at"
    )
    with cursor.copy(f"COPY accounts_serviceconnection ({columns}) FROM STDIN") as copy:
        for i in range(n):
            row = (f"{2000000000 + i}", first_customer + i, rng.choice(classes).pk, area.pk, f"Jl. Bench {i}")
            copy.write_row((*row, f"B{i:09d}", rng.choice(SIZES), "active", now))
    cursor.execute("SELECT id FROM accounts_serviceconnection ORDER BY id")
    ids = [row[0] for row in cursor.fetchall()]
    columns = (
        "connection_id, period, reading, previous_reading, usage, read_on, source, flagged, flag_reason, created_at"
    )
    with cursor.copy(f"COPY billing_meterreading ({columns}) FROM STDIN") as copy:
        for pk in ids:
            if rng.random() < 0.03:
                continue
            previous, usage = rng.randint(100, 5000), max(0, round(rng.gauss(20, 6)))
            copy.write_row((pk, PERIOD, previous + usage, previous, usage, date(2026, 1, 3), "field", False, "", now))
    cursor.execute("ANALYZE")


def time_bill_run() -> tuple[float, int]:
    from django.db import connection

    from billing.billrun import run_bill_run

    started = time.perf_counter()
    summary = run_bill_run(PERIOD)
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM billing_bill) + (SELECT count(*) FROM billing_billline)")
        rows = cursor.fetchone()[0]
    print(f"bill run: {summary.created} bills ({summary.estimated} estimated), {rows} rows in {elapsed:.1f} s")
    return elapsed, rows


def time_copy(url: str, bills: int, lines: int) -> float:
    """Binary COPY of `bills` bill rows and `lines` line rows, each a fresh row of realistic values, into
    heap tables of the same columns (no indexes, no constraints): the fastest way Postgres can take them."""
    from billing.billrun import BILL_COLUMNS, BILL_TYPES, LINE_COLUMNS, LINE_TYPES

    now = datetime.now().astimezone()
    due = date(2026, 1, 20)
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE copy_bill (LIKE billing_bill INCLUDING DEFAULTS INCLUDING IDENTITY)")
        conn.execute("CREATE TABLE copy_billline (LIKE billing_billline INCLUDING DEFAULTS INCLUDING IDENTITY)")
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cursor:
            with cursor.copy(f"COPY copy_bill ({BILL_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(BILL_TYPES)
                for i in range(bills):
                    copy.write_row((i, i, PERIOD, 1, 1000 + i % 97, 1020 + i % 97, 20, False, 98000, due, "open", now))
            with cursor.copy(f"COPY copy_billline ({LINE_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(LINE_TYPES)
                for i in range(lines):
                    copy.write_row((i // 4, i % 4, "usage", "0–10 m³", 10, 3300, 33000))
        conn.commit()
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a Postgres database: the benchmark creates a scratch database next to it.")
    admin_url, url = scratch_url(base)
    recreate(admin_url, url)
    os.environ.update(DATABASE_URL=url, DEBUG="1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    seed(args.connections, random.Random(args.seed))
    print(f"seeded {args.connections} connections in {time.perf_counter() - started:.1f} s")

    run_seconds, rows = time_bill_run()
    from billing.models import Bill, BillLine

    bills, lines = Bill.objects.count(), BillLine.objects.count()
    copy_seconds = time_copy(url, bills, lines)
    run_rate, copy_rate = rows / run_seconds, rows / copy_seconds
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"bill run : {run_rate:>10,.0f} rows/s ({bills} bills + {lines} lines in {run_seconds:.1f} s)")
    print(f"COPY     : {copy_rate:>10,.0f} rows/s ({rows} rows in {copy_seconds:.1f} s)")
    print(f"ratio bill run / COPY: {run_rate / copy_rate:.2f}; peak memory {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
