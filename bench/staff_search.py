"""Counter search as staff wait for it: the whole search page over HTTP, production settings, the server as the
Dockerfile runs it, a signed-in counter user, one client, on a utility of 1,000,000 connections with a year of
bills, readings and payments. Prints p50/p95 per query kind and overall.

    .venv/bin/python bench/staff_search.py [--connections 1000000] [--rounds 5] [--port 8150] [--explain]

BENCH_DATABASE_URL names the database (default postgres://postgres@127.0.0.1:5432/tirta_1m). It is created,
migrated and filled with `seed_demo --connections N` when empty (15-20 minutes at 1M on 2 cores), and reused
otherwise. `--explain` prints EXPLAIN ANALYZE of every query the search runs for one query of each kind.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tirta_1m")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DEBUG", "1")  # this process seeds and plans; the server it starts runs production settings
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# The sessions this process writes are signed: the server must read them with the same key.
os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
TARGET_P95_MS = 50.0
PER_KIND = 6
STREET_KINDS = ["jl.", "jalan", "gg.", "gang", "", "jln"]  # how people write the street kind, or leave it out


def ensure_database() -> None:
    import psycopg

    url = urlparse(BENCH_URL)
    name = url.path.lstrip("/")
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(f'create database "{name}"')


def prepare(connections: int) -> None:
    """Migrate (new indexes included), seed when empty, and make the planner's statistics current."""
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import ServiceConnection

    call_command("migrate", verbosity=0)
    existing = ServiceConnection.objects.count()
    if existing == 0:
        print(f"seeding {connections:,} connections with a year of bills …", flush=True)
        call_command("seed_demo", connections=connections, force=True, verbosity=0)
    elif existing < connections:
        sys.exit(f"{BENCH_URL} holds {existing:,} connections, fewer than {connections:,}: use an empty database.")
    with connection.cursor() as cursor:
        for table in ("accounts_customer", "accounts_serviceconnection", "accounts_user", "billing_bill"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def realistic_queries(seed: int = 9) -> dict[str, list[str]]:
    """What counter staff type, drawn from the data: PER_KIND queries of each kind."""
    from accounts.models import Customer, ServiceConnection

    rng = random.Random(seed)
    total = ServiceConnection.objects.count()
    picks = ServiceConnection.objects.select_related("customer").filter(
        pk__in=[rng.randrange(1, total) for _ in range(PER_KIND * 4)]
    )
    people = [c for c in picks if len(_name_words(c.customer.name)) >= 2][:PER_KIND]
    with_phone = Customer.objects.exclude(phone="").order_by("pk").values_list("phone", flat=True)
    middle = total // 2
    phones = list(with_phone[middle : middle + PER_KIND])
    streets = [_street_words(c.address) for c in picks][: PER_KIND * 2]
    return {
        "name, typo": [_typo(" ".join(_name_words(c.customer.name)[:2]), rng) for c in people],
        "name, partial": [_partial(_name_words(c.customer.name), rng) for c in people],
        "account": [c.account_number for c in picks[:3]] + [c.account_number[:7] for c in picks[3:PER_KIND]],
        "meter": [c.meter_number for c in picks[:3]] + [c.meter_number.lower()[:8] for c in picks[3:PER_KIND]],
        "street": [f"{kind} {words}".strip() for kind, words in zip(STREET_KINDS, streets, strict=False)],
        "phone": [
            "0" + phones[0][3:],
            f"+62 {phones[1][3:6]} {phones[1][6:10]} {phones[1][10:]}",
            phones[2][1:],
            f"{phones[3][3:7]}-{phones[3][7:11]}",
            phones[4][-7:],
            "0" + phones[5][3:9],
        ],
    }


def _name_words(name: str) -> list[str]:
    """The words people say of a name, without titles and degrees (`dr.`, `S.Kom`)."""
    return [w for w in name.replace(",", " ").split() if "." not in w and len(w) > 2]


def _typo(name: str, rng: random.Random) -> str:
    """One slip of the finger: a letter swapped with the next, dropped or doubled."""
    words = name.lower().split()
    index = max(range(len(words)), key=lambda i: len(words[i]))
    word, at = words[index], rng.randrange(1, len(words[index]) - 1)
    kind = rng.choice(["swap", "drop", "double"])
    if kind == "swap":
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif kind == "drop":
        word = word[:at] + word[at + 1 :]
    else:
        word = word[: at + 1] + word[at] + word[at + 1 :]
    words[index] = word
    return " ".join(words)


def _partial(words: list[str], rng: random.Random) -> str:
    """Half-typed: the start of one word, or a first word and the start of the second."""
    if rng.random() < 0.5:
        return rng.choice(words)[: rng.randint(3, 5)].lower()
    return f"{words[0].lower()} {words[1][: rng.randint(3, 4)].lower()}"


def _street_words(address: str) -> str:
    """`Jl. Merdeka Barat No. 12` → `merdeka barat`."""
    words = re.sub(r"\bNo\..*$", "", address).split()
    return " ".join(w for w in words if w.lower().rstrip(".") not in {"jl", "jln", "jalan", "gg", "gang"}).lower()


def dockerfile_server(port: int) -> list[str]:
    """The server command the Dockerfile ships (CMD), bound to loopback on `port`."""
    line = next(line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD"))
    command = [re.sub(r"0\.0\.0\.0:\d+", f"127.0.0.1:{port}", part) for part in json.loads(line[3:].strip())]
    return [str(ROOT / ".venv" / "bin" / command[0]), *command[1:]]


class Client:
    """One browser: keeps its cookies, says it came through the TLS proxy (as production expects)."""

    def __init__(self, port: int) -> None:
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1", "Referer": "https://127.0.0.1/"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, data, headers)
        response = conn.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode()
        conn.close()
        return response.status, text


def start_server(port: int, static_root: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }
    env.pop("CELERY_BROKER_URL", None)
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    command = dockerfile_server(port)
    print("server:", shlex.join(command), flush=True)
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - the Dockerfile's own command
    for _ in range(100):
        try:
            if Client(port).request("GET", "/healthz")[0] in (200, 503):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("the server did not start")


def measure(port: int, queries: dict[str, list[str]], rounds: int) -> bool:
    from bench_sessions import signed_in
    from django.urls import reverse

    client = Client(port)
    key, _, value = signed_in("counter@demo.tirta.test")["Cookie"].partition("=")
    client.cookies[key] = value
    search = reverse("portal:staff-search")
    timings: dict[str, list[float]] = {kind: [] for kind in queries}
    found: dict[str, int] = {}
    # /healthz (one trivial query) under the same server shows what the machine gives any request right now.
    baseline: list[float] = []
    for warm_up in (True, *([False] * rounds)):  # the first pass fills the caches, as a morning at the counter does
        for _ in range(PER_KIND):
            start = time.perf_counter()
            client.request("GET", "/healthz")
            if not warm_up:
                baseline.append((time.perf_counter() - start) * 1000)
        for kind, texts in queries.items():
            for text in texts:
                start = time.perf_counter()
                status, body = client.request("GET", f"{search}?{urlencode({'q': text})}")
                elapsed = (time.perf_counter() - start) * 1000
                if status != 200:
                    sys.exit(f"{text!r}: HTTP {status}")
                found[text] = body.count('class="result"')
                if not warm_up:
                    timings[kind].append(elapsed)
    print(f"\n{'kind':<16}{'queries':>8}{'requests':>10}{'p50 ms':>9}{'p95 ms':>9}  examples (results shown)")
    everything = []
    for kind, values in timings.items():
        everything.extend(values)
        examples = ", ".join(f"{text!r} ({found[text]})" for text in queries[kind][:3])
        figures = f"{len(queries[kind]):>8}{len(values):>10}{pct(values, 50):>9.1f}{pct(values, 95):>9.1f}"
        print(f"{kind:<16}{figures}  {examples}")
    p95 = pct(everything, 95)
    print(f"{'ALL':<16}{'':>8}{len(everything):>10}{pct(everything, 50):>9.1f}{p95:>9.1f}")
    print(f"{'(/healthz)':<16}{'':>8}{len(baseline):>10}{pct(baseline, 50):>9.1f}{pct(baseline, 95):>9.1f}")
    print(f"load average (1, 5, 15 min): {', '.join(f'{load:.1f}' for load in os.getloadavg())}")
    print(f"\np95 {p95:.1f} ms, target < {TARGET_P95_MS:.0f} ms: {'met' if p95 < TARGET_P95_MS else 'NOT met'}")
    return p95 < TARGET_P95_MS


def pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def explain(queries: dict[str, list[str]]) -> None:
    """EXPLAIN ANALYZE of each statement the search page runs, for the first query of each kind."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from accounts.search import find
    from portal.staff.views.search import results_queryset

    for kind, texts in queries.items():
        with CaptureQueriesContext(connection) as captured:
            find(texts[0], queryset=results_queryset())
        print(f"\n===== {kind}: {texts[0]!r} =====")
        with transaction.atomic(), connection.cursor() as cursor:
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip("(").startswith("SELECT") or "set_config(" in sql:
                    if sql.startswith("SELECT"):
                        cursor.execute(sql)
                    continue
                cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}")
                print(f"\n{sql[:300]}{' …' if len(sql) > 300 else ''}")
                print("\n".join(f"    {row[0]}" for row in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5, help="passes over the query set after the warm-up")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8150")))
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the search's queries")
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    prepare(args.connections)
    queries = realistic_queries()
    if args.explain:
        explain(queries)
    with tempfile.TemporaryDirectory() as static_root:
        server = start_server(args.port, static_root)
        try:
            met = measure(args.port, queries, args.rounds)
        finally:
            server.terminate()
            server.wait()
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
