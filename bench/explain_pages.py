"""The query plans behind each page of bench/http_load.py: EXPLAIN ANALYZE of every query a page runs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tirta_perf .venv/bin/python bench/explain_pages.py [--all]

Sends one request of each page (the first of its rotation) through Django's test client in this process, with
the same settings as the load server, captures its queries and prints, per page, the query count and the plan
and execution time of each query (the slowest 3 unless --all). Read-only except what the pages themselves write
(a session row, a stored payment notification).
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--all", action="store_true", help="every query, not only the slowest 3 of each page")
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    args = parser.parse_args()
    from http_load import server_env

    os.environ.update(server_env(os.environ["DATABASE_URL"], argparse.Namespace(port=8100, redis_url=_redis())))
    import django

    django.setup()
    from bench_targets import targets
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    wanted = {name.strip() for name in args.pages.split(",")} if args.pages else None
    for name, requests, headers in targets(8100):
        if wanted and name not in wanted:
            continue
        method, path, body, *own = requests[0]
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (own[0] if own else {}).items()}
        client = Client(enforce_csrf_checks=False, HTTP_HOST="127.0.0.1")
        cookie = headers.get("Cookie", "")
        if cookie:
            key, value = cookie.split("=", 1)
            client.cookies[key] = value
        with CaptureQueriesContext(connection) as captured:
            if method == "POST" and (own or headers.get("Content-Type") == "application/json"):
                response = client.post(path, body, content_type="application/json", secure=True, **extra)
            elif method == "POST":
                response = client.post(path, {"account_number": body}, secure=True)
            else:
                response = client.get(path, secure=True)
        queries = [q["sql"] for q in captured.captured_queries]
        print(f"\n=== {name}: {method} {path[:80]} → {response.status_code}, {len(queries)} queries")
        plans = []
        with connection.cursor() as cursor:
            for sql in queries:
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = [row[0] for row in cursor.fetchall()]
                took = float(plan[-1].split(":")[1].split()[0])
                plans.append((took, sql, plan))
        for took, sql, plan in sorted(plans, reverse=True)[: None if args.all else 3]:
            print(f"\n--- {took:.3f} ms: {sql[:300]}")
            print("\n".join(plan))


def _redis() -> str:
    return os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/1"


if __name__ == "__main__":
    main()
