"""Benchmark of the bill run against a raw binary COPY of the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tirta_billing \
        .venv/bin/python bench/bill_run.py --connections 100000

Creates a scratch database next to DATABASE_URL's (name + "_bench", dropped and re-created), migrates it,
seeds N active connections with a reading each (3 % without one, so they get estimated), then times:

- `run_bill_run` in a child process, so the peak RSS reported is the run's alone, not the seeding's;
- a psycopg 3 binary COPY of as many bill and line rows into tables of the same shape as billing_bill and
  billing_billline (`LIKE … INCLUDING ALL`: same indexes, unique and check constraints, plus the same
  foreign keys to the same parent tables), so the ratio compares like with like: once in one transaction,
  once committed every BATCH bills as the run does;
- the same COPY into bare heap tables (same columns, no index, no constraint): the fastest Postgres can
  take the rows, reported beside it so nobody mistakes one ratio for the other.

Each timing starts after a CHECKPOINT. Not a test: nothing is asserted.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
PERIOD = date(2026, 1, 1)
SIZES = ["1/2"] * 8 + ["3/4", "1"]
BATCH = 5000  # run_bill_run's default batch size


def scratch_url(base: str) -> tuple[str, str]:
    parts = urlsplit(base)
    name = parts.path.lstrip("/") + "_bench"
    return urlunsplit(parts._replace(path="/postgres")), urlunsplit(parts._replace(path=f"/{name}"))


def recreate(admin_url: str, url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ.update(DATABASE_URL=url, DEBUG="1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


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


def peak_rss_mb() -> float:
    """This process's own high-water RSS (VmHWM). Not getrusage's ru_maxrss: Linux carries that over
    fork and exec, so a child would report the parent's seeding."""
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024


def bill_run_child() -> None:
    """Entry point of the child process: one bill run, its figures as a JSON line on stdout."""
    from django.db import connection

    from billing.billrun import run_bill_run

    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    summary = run_bill_run(PERIOD)
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM billing_bill), (SELECT count(*) FROM billing_billline)")
        bills, lines = cursor.fetchone()
    result = {"seconds": elapsed, "bills": bills, "lines": lines, "estimated": summary.estimated}
    print(json.dumps({**result, "rss_mb": peak_rss_mb(), "rss_before_mb": rss_before}))


def time_bill_run(url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, __file__, "--child", url]  # this very script, with our own interpreter
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return json.loads(out.strip().splitlines()[-1])


SAME_SHAPE = """
CREATE TABLE copy_bill (LIKE billing_bill INCLUDING ALL);
ALTER TABLE copy_bill
    ADD FOREIGN KEY (connection_id) REFERENCES accounts_serviceconnection (id) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (tariff_id) REFERENCES billing_tariff (id) DEFERRABLE INITIALLY DEFERRED;
CREATE TABLE copy_billline (LIKE billing_billline INCLUDING ALL);
ALTER TABLE copy_billline
    ADD FOREIGN KEY (bill_id) REFERENCES copy_bill (id) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (late_fee_rule_id) REFERENCES billing_latefeerule (id) DEFERRABLE INITIALLY DEFERRED;
"""
BARE_HEAP = """
CREATE TABLE copy_bill (LIKE billing_bill INCLUDING DEFAULTS INCLUDING IDENTITY);
CREATE TABLE copy_billline (LIKE billing_billline INCLUDING DEFAULTS INCLUDING IDENTITY);
"""


def time_copy(url: str, bills: int, lines: int, ddl: str, chunk: int) -> float:
    """Binary COPY of `bills` bill rows and `lines` line rows (4 or 5 per bill, as in the run), each a fresh
    row of realistic values that satisfies the constraints (one bill per real connection, a real tariff),
    committing every `chunk` bills with their lines."""
    from billing.billrows import BILL_COLUMNS, BILL_TYPES, LINE_COLUMNS, LINE_TYPES, BillRow

    now = datetime.now().astimezone()
    due = date(2026, 1, 20)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS copy_billline, copy_bill")
        conn.execute(ddl)
        first_connection = conn.execute("SELECT min(id) FROM accounts_serviceconnection").fetchone()[0]
        tariff = conn.execute("SELECT min(id) FROM billing_tariff").fetchone()[0]
        conn.execute("CHECKPOINT")
        started = time.perf_counter()
        for first in range(1, bills + 1, chunk):
            ids = range(first, min(first + chunk, bills + 1))
            with conn.transaction(), conn.cursor() as cursor:
                with cursor.copy(f"COPY copy_bill ({BILL_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(BILL_TYPES)
                    for i in ids:
                        reading = 1000 + i % 97
                        # The run's own row type, so the COPY follows billing_bill when it gains a column.
                        connection = first_connection + i - 1
                        row = BillRow(
                            i, connection, PERIOD, tariff, reading, reading + 20, 20, False, 98000, due, "open", now
                        )
                        copy.write_row(row)
                with cursor.copy(f"COPY copy_billline ({LINE_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(LINE_TYPES)
                    for i in ids:
                        for position in range(lines * i // bills - lines * (i - 1) // bills):
                            copy.write_row((i, position, "usage", "0–10 m³", 10, 3300, 33000))
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE copy_billline, copy_bill")
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        setup_django(args.child)
        bill_run_child()
        return
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a Postgres database: the benchmark creates a scratch database next to it.")
    admin_url, url = scratch_url(base)
    recreate(admin_url, url)
    setup_django(url)
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    seed(args.connections, random.Random(args.seed))
    connections.close_all()
    print(f"seeded {args.connections} connections in {time.perf_counter() - started:.1f} s", flush=True)
    print(f"load average before the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)

    run = time_bill_run(url)
    bills, lines, seconds = run["bills"], run["lines"], run["seconds"]
    rows = bills + lines
    run_rate = rows / seconds
    print(f"{bills} bills ({run['estimated']} estimated) + {lines} lines = {rows} rows")
    print(f"{'bill run':<45}: {run_rate:>10,.0f} rows/s in {seconds:5.1f} s", end="")
    print(f"; peak RSS of the run {run['rss_mb']:.0f} MB (after start-up {run['rss_before_mb']:.0f})")
    baselines = (
        ("same-shape COPY, one transaction", SAME_SHAPE, bills),
        (f"same-shape COPY, {BATCH} bills per transaction", SAME_SHAPE, BATCH),
        ("bare-heap COPY, one transaction", BARE_HEAP, bills),
    )
    for name, ddl, chunk in baselines:
        copy_seconds = time_copy(url, bills, lines, ddl, chunk)
        copy_rate = rows / copy_seconds
        print(f"{name:<45}: {copy_rate:>10,.0f} rows/s in {copy_seconds:5.1f} s", end="")
        print(f"; ratio bill run / this: {run_rate / copy_rate:.2f}", flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
