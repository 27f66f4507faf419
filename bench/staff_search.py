"""Counter search at utility scale: seed 1,000,000 connections in a scratch Postgres database, then time a fixed
set of searches and print p50/p95 per query and overall.

    .venv/bin/python bench/staff_search.py [--connections 1000000] [--repeat 20] [--seed-only]

BENCH_DATABASE_URL names the scratch database (default postgres://postgres@127.0.0.1:5432/tirta_staff_bench); it
is created and migrated when missing, and seeded with accounts.demo up to the wanted size (kept between runs).
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tirta_staff_bench")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

# What counter staff type all day: names with typos and swapped order, partial names while typing, account
# numbers whole and in part, meter numbers, streets, and phone numbers in each format people use.
QUERIES = [
    "wira mardhiyah",
    "mardhiyah wira",
    "wira mardiyah",
    "wira mard",
    "kania budimn",
    "budi santoso",
    "santoso budi",
    "wahyu",
    "dewi lest",
    "siti aminah",  # nobody of that name in the demo data: the slowest case, both passes find nothing
    "1001000042",
    "1001234",
    "100150",
    "M22-0500005",
    "m18-00000",
    "jl. merdeka",
    "gang sudirman",
    "pasar mangasa",
]


def ensure_database() -> None:
    import psycopg

    url = urlparse(BENCH_URL)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(f'create database "{name}"')


def seed(connections: int) -> None:
    from django.core.management import call_command

    from accounts import demo
    from accounts.models import ServiceConnection

    call_command("migrate", verbosity=0)
    missing = connections - ServiceConnection.objects.count()
    if missing > 0:
        print(f"seeding {missing:,} connections …", flush=True)
        demo.seed(connections=missing, rng=random.Random(missing), progress=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE accounts_customer")
        cursor.execute("VACUUM ANALYZE accounts_serviceconnection")


def phone_queries() -> list[str]:
    """A real customer's number written three ways: 0812…, +62 812…, 62812…."""
    from accounts.models import Customer

    e164 = Customer.objects.exclude(phone="").order_by("pk").values_list("phone", flat=True)[5000]
    national = "0" + e164[3:]
    return [national, f"+62 {e164[3:6]} {e164[6:10]} {e164[10:]}", e164[1:]]


def measure(repeat: int) -> None:
    from accounts.search import search_connections
    from portal.staff.views.search import results_queryset

    def search(query: str):
        # What the search page runs: the results carry their arrears.
        return search_connections(query, queryset=results_queryset())

    queries = QUERIES + phone_queries()
    for query in queries:  # warm the caches the way a morning at the counter does
        search(query)
    timings: dict[str, list[float]] = {query: [] for query in queries}
    hits: dict[str, int] = {}
    for _ in range(repeat):
        for query in queries:
            start = time.perf_counter()
            hits[query] = len(search(query))
            timings[query].append((time.perf_counter() - start) * 1000)
    everything = []
    print(f"{'query':<28}{'hits':>6}{'p50 ms':>10}{'p95 ms':>10}")
    for query, values in timings.items():
        everything.extend(values)
        print(f"{query:<28}{hits[query]:>6}{percentile(values, 50):>10.1f}{percentile(values, 95):>10.1f}")
    print(f"{'ALL':<28}{'':>6}{percentile(everything, 50):>10.1f}{percentile(everything, 95):>10.1f}")


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed-only", action="store_true")
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    seed(args.connections)
    if not args.seed_only:
        measure(args.repeat)


if __name__ == "__main__":
    main()
