"""Whole-request load on every page of issue 9, under the production server as shipped, against a bare view.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tirta_perf .venv/bin/python bench/http_load.py

Seeds the database with `seed_demo --connections N` unless it holds N connections already (then reuses it),
collects the static files, and starts the server of the Dockerfile's CMD (same server, worker class and count)
on loopback with the production settings (DEBUG off, Redis cache and broker). Only the rate limits are raised,
through their settings. The baseline is a bare Django template view (bench/load_urls.py) served by the same
server through the same middleware in the same run: measured first and last, the ratios use the mean of both.
For each page wrk runs with several clients for a fixed time after a warm-up; every request it sends is first
checked once to answer 200 (a redirect to the sign-in page would otherwise pass for a fast page).
"""

import argparse
import contextlib
import json
import os
import re
import shlex
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path[:0] = [str(BENCH), str(ROOT)]
RAISED = "1000000/s"
CHECKED = 20
SERVER_KEY = "bench-server-key"

from wrk_run import SERVER_APPLICATION_NAME, Page, Result, wrk  # noqa: E402  (bench/ is on the path from here on)

# Ratio to the bare view each page must reach (issue 9).
TARGETS = {
    "home": 0.5,
    "healthz": 0.5,
    "lookup result (POST)": 0.25,
    "guest payment status": 0.25,
    "dashboard": 0.25,
    "connection page": 0.25,
    "bill detail": 0.25,
    "public tracking": 0.25,
    "staff search": 0.08,
    "staff account": 0.2,
    "staff home": 0.2,
    "complaint queue": 0.2,
    "payment notification (repeat)": 0.2,
    "SNAP inquiry": 0.2,
    "SNAP payment (repeat)": 0.2,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of measured load per page")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of load before each measurement")
    parser.add_argument("--clients", type=int, default=32, help="concurrent wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/1")
    parser.add_argument("--server-command", help="instead of the Dockerfile's CMD; {bind} is replaced")
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a Postgres database (it is seeded when empty).")

    env = server_env(database_url, args)
    prepare_database(env, args.connections)
    command = shlex.split(args.server_command) if args.server_command else dockerfile_command()
    bind = f"127.0.0.1:{args.port}"
    command = [part.replace("0.0.0.0:8000", bind).replace("{bind}", bind) for part in command]
    print(f"server: {shlex.join(command)}")
    os.environ.update(env)
    pages = build_pages(args.port)
    if args.pages:
        wanted = {name.strip() for name in args.pages.split(",")}
        pages = [page for page in pages if page.name in wanted or page.name == "bare view"]
    with (ROOT / "var" / "bench-server.log").open("w") as log:
        server_env_tagged = {**env, "PGAPPNAME": SERVER_APPLICATION_NAME}
        server = subprocess.Popen(command, cwd=ROOT, env=server_env_tagged, stdout=subprocess.DEVNULL, stderr=log)  # noqa: S603
    try:
        wait_until_up(args.port)
        add_lookup_csrf(pages, args.port)
        results = run_all(pages, args, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(results, args)


def server_env(database_url: str, args: argparse.Namespace) -> dict[str, str]:
    """Production settings values; the rate limits raised so that the load is not refused."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "PYTHONPATH": os.pathsep.join([str(BENCH), str(ROOT)]),
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-that-is-long-enough-for-check-deploy-0123456789",
        "PARTNER_SECRETS_KEY": "bench-only-partner-secrets-key",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"https://127.0.0.1:{args.port}",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": args.redis_url,
        "CACHE_URL": args.redis_url,
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        "PAYMENT_SERVER_KEY": SERVER_KEY,
        "BILL_LOOKUP_RATE": RAISED,
        "COMPLAINTS_TRACK_RATE": RAISED,
        "COMPLAINTS_RATE_PER_CLIENT": RAISED,
        "COMPLAINTS_RATE_PER_PHONE": RAISED,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }


def manage(env: dict[str, str], *arguments: str) -> None:
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True)  # noqa: S603


def prepare_database(env: dict[str, str], connections: int) -> None:
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    found = int(  # the last line: `shell` may announce its automatic imports first
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "shell", "-c", _COUNT],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
    )
    if found == 0:
        print(f"seeding {connections} connections …")
        manage(env, "seed_demo", "--connections", str(connections), "--force")
    elif found != connections:
        sys.exit(f"The database holds {found} connections, not {connections}: give another DATABASE_URL.")
    else:
        print(f"reusing the database: {found} connections")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")


_COUNT = "from accounts.models import ServiceConnection; print(ServiceConnection.objects.count())"


def dockerfile_command() -> list[str]:
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("CMD "):
            return json.loads(line[4:])
    sys.exit("The Dockerfile has no CMD line.")


def wait_until_up(port: int) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
        else:
            return
    sys.exit("The server did not answer /healthz within a minute (see var/bench-server.log).")


def build_pages(port: int) -> list[Page]:
    """The requests of every page, from the seeded data (Django set up in this process, same settings)."""
    import django

    django.setup()
    from bench_targets import targets

    return [Page(name, requests, headers) for name, requests, headers in targets(port)]


def add_lookup_csrf(pages: list[Page], port: int) -> None:
    """Fetch the lookup form like a browser does: its CSRF cookie and the token of the form."""
    from django.urls import reverse

    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{reverse('billing:lookup')}", headers={"X-Forwarded-Proto": "https"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        cookie = response.headers["Set-Cookie"].split(";")[0]
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.read()).group(1).decode()
    for page in pages:
        if page.name == "lookup result (POST)":
            page.headers["Cookie"] = cookie
            page.requests = [
                (method, path, urlencode({"csrfmiddlewaretoken": token, "account_number": body}))
                for method, path, body in page.requests
            ]


def check(page: Page, port: int) -> None:
    """The page's requests (the first CHECKED of its rotation) answer 200 before any load: no silent redirect
    to the sign-in page or error page passes for a fast page."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    for method, path, body, *own in page.requests[:CHECKED]:
        headers = {"X-Forwarded-Proto": "https", **page.headers, **(own[0] if own else {})}
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", data=body.encode() if body else None, headers=headers, method=method
        )
        try:
            status = opener.open(request, timeout=30).status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            sys.exit(f"{page.name}: {method} {path} answered {status}, not 200")


def drain(port: int) -> None:
    """Wait until the server has worked off what wrk left queued when it stopped (a sync worker still answers
    requests whose client has gone): otherwise a slow page's backlog is charged to the next page."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        started = time.monotonic()
        with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10)
        if time.monotonic() - started < 0.5:
            return
        time.sleep(0.5)


def run_all(pages: list[Page], args: argparse.Namespace, server_pid: int) -> list[Result]:
    for page in pages:
        check(page, args.port)
    order = [*pages, pages[0]]  # the bare view first and last: the machine is shared, its speed drifts
    results = []
    for page in order:
        if args.warmup:
            wrk(page, args.port, args.threads, args.clients, args.warmup)
        result = wrk(page, args.port, args.threads, args.clients, args.duration, server_pid)
        drain(args.port)
        print(
            f"  {page.name:32} {result.rps:8.1f} req/s  p50 {result.p50:7.1f} ms  p95 {result.p95:7.1f} ms  "
            f"p99 {result.p99:7.1f} ms  errors {result.errors}  wrk {result.wrk_cpu:.0%} of a core  "
            f"CPU ms/request {cpu_split(result)}",
            flush=True,
        )
        results.append(result)
    return results


def report(results: list[Result], args: argparse.Namespace) -> None:
    bare = [r for r in results if r.name == "bare view"]
    baseline = sum(r.rps for r in bare) / len(bare)
    cores = os.cpu_count() or 1
    print(f"\nbare view: {' / '.join(f'{r.rps:.0f}' for r in bare)} req/s (first / last), ratio base {baseline:.0f}")
    print(f"{args.clients} clients, {args.duration} s per page, load average {os.getloadavg()[0]:.1f}\n")
    print("| page | req/s | p50 ms | p95 ms | p99 ms | errors | ratio | target | wrk CPU share | CPU ms/request ¹ |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for result in results[1:-1]:
        target = TARGETS.get(result.name)
        ratio = result.rps / baseline
        verdict = "" if target is None else (" ✓" if ratio >= target and not result.errors else " ✗")
        share = result.wrk_cpu / cores / max(result.busy, 1e-9)
        print(
            f"| {result.name} | {result.rps:.0f} | {result.p50:.1f} | {result.p95:.1f} | {result.p99:.1f} | "
            f"{result.errors} | {ratio:.2f}{verdict} | {target or '–'} | {share:.0%} | {cpu_split(result)} |"
        )
    print(f"\n¹ {CPU_SPLIT_NOTE}")


CPU_SPLIT_NOTE = (
    "server (its workers) / the Postgres backends serving them / Redis / wrk / everything else on the machine, from "
    "/proc over the measured seconds, divided by the requests answered: where a page's time goes, and whether "
    "anything else ran beside it."
)


def cpu_split(result: Result) -> str:
    return " / ".join(f"{result.cpu_ms.get(name, 0):.2f}" for name in ("server", "postgres", "redis", "wrk", "other"))


if __name__ == "__main__":
    main()
