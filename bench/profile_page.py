"""One page of bench/http_load.py, request by request, in this process: time, queries and a profile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tirta_perf .venv/bin/python bench/profile_page.py \
        --pages "complaint queue,dashboard" [--requests 30] [--profile] [--queries]

Same settings as the load server (production values, DEBUG off, Redis cache), the same rotation of requests
(bench/bench_targets.py), sent through Django's test client (the whole middleware stack). After two warm-up
requests it prints, per page, the median and the fastest wall time of --requests requests, the median CPU time of this
process (Python's share, steadier than wall time on a shared machine), the number of queries
of one request and their total database time as the driver saw it, and the CPU time the Postgres backend serving
this process spent per request (read from /proc: the database must run on this machine). With --profile (needs
pyinstrument importable, for example `pip install --target /tmp/tools pyinstrument` and PYTHONPATH=/tmp/tools) it
prints the call tree of ten more requests, --cprofile the functions with most own CPU time over 50 more (CPU, not
wall time: a worker waiting for Postgres spends none of its budget), with --cumulative by cumulative CPU time;
--queries lists that request's SQL. Read-only except what the pages write themselves.

Single requests on an idle core are the steady evidence on a shared machine; http_load.py's ratios are the verdict.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", required=True, help="comma-separated page names of bench/http_load.py")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--cprofile", action="store_true", help="the 25 functions with most own CPU over 50 requests")
    parser.add_argument("--cumulative", action="store_true", help="with --cprofile: sort by cumulative CPU instead")
    args = parser.parse_args()
    from http_load import server_env

    redis = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/1"
    os.environ.update(server_env(os.environ["DATABASE_URL"], argparse.Namespace(port=8100, redis_url=redis)))
    import django

    django.setup()
    from bench_targets import targets
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    wanted = [name.strip() for name in args.pages.split(",")]
    pages = {name: (requests, headers) for name, requests, headers in targets(8100) if name in wanted}
    for name in wanted:
        requests, headers = pages[name]
        client = Client(HTTP_HOST="127.0.0.1")
        if "Cookie" in headers:
            key, value = headers["Cookie"].split("=", 1)
            client.cookies[key] = value

        def send(index: int, client=client, requests=requests, headers=headers):
            method, path, body, *own = requests[index % len(requests)]
            extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (own[0] if own else {}).items()}
            if method == "POST" and (own or headers.get("Content-Type") == "application/json"):
                return client.post(path, body, content_type="application/json", secure=True, **extra)
            if method == "POST":
                return client.post(path, {"account_number": body}, secure=True)
            return client.get(path, secure=True)

        for index in range(2):
            send(index)
        times, cpu = [], []
        backend_before = backend_cpu(connection)
        for index in range(args.requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = send(index)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        backend = (backend_cpu(connection) - backend_before) / args.requests * 1000
        with CaptureQueriesContext(connection) as captured:
            response = send(0)
        database = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        print(
            f"{name}: {response.status_code}, median {statistics.median(times):.1f} ms, fastest {min(times):.1f} ms, "
            f"this process's CPU {statistics.median(cpu):.1f} ms (median), "
            f"Postgres backend CPU {backend:.2f} ms (mean), "
            f"{len(captured.captured_queries)} queries ({database:.1f} ms in the driver)",
            flush=True,
        )
        if args.queries:
            for query in captured.captured_queries:
                print(f"  {query['time']}s {query['sql'][:400]}")
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            with profiler:
                for index in range(10):
                    send(index)
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        if args.cprofile:
            import cProfile
            import pstats

            profile = cProfile.Profile(time.process_time)
            with profile:
                for index in range(50):
                    send(index)
            order, rows = ("cumulative", 60) if args.cumulative else ("tottime", 25)
            pstats.Stats(profile).sort_stats(order).print_stats(rows)


def backend_cpu(connection) -> float:
    """Seconds of CPU (user + system) the Postgres process behind `connection` has used so far."""
    from wrk_run import read_stat

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return read_stat(Path(f"/proc/{pid}/stat"))[2]


if __name__ == "__main__":
    main()
