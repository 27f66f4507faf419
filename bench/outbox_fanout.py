"""100,000 e-bill notifications through the outbox against as many no-op Celery tasks, with a real worker.

    createdb -h 127.0.0.1 -U postgres tirta_fanout
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tirta_fanout CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/outbox_fanout.py --connections 100000

Migrates the database, seeds it once (`seed_demo`), marks every connection paperless (or the first
`--paperless N`) and empties the outbox. Starts the providers' local fakes as an HTTP server of their own
(bench/fanout_fakes.py) and one Celery worker (solo pool: one process, so its RSS is the worker's) sending
through the real anymail (Postmark), Infobip and WhatsApp backends to them. Then, in the same run, times
`billing.ebill.send_ebills` (the fan-out: rows in batches, their send tasks after commit) until every message
reached the fakes, bracketed by no-op tasks timed from publishing until the last one ran (as many as there are
bills before, as many as messages after; the ratio uses the mean of both rates, because the machine's load
drifts during a run of minutes). Checks every message
was sent exactly once (the fakes' Redis set and counter, the rows marked sent, each row's attempts), samples
the worker's RSS after the first 10 % and at the end, and prints the CPU seconds the worker and the fakes
spent on each side. `--profile FILE` runs the worker under cProfile (slower; for finding the cost, not for
the figures). Flushes the Redis database of CELERY_BROKER_URL: give it one of its own. Nothing is asserted.
"""

import argparse
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# Production settings: with DEBUG on, every template is parsed again on each use and every query is kept.
os.environ.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="localhost")

import fanout_fakes  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


FAKES_PORT = free_port()
os.environ.update(
    fanout_fakes.settings_env(FAKES_PORT),
    NOTIFY_QUIET_HOURS_START="00:00",  # measure sending, not waiting for the morning
    NOTIFY_QUIET_HOURS_END="00:00",
    LOG_LEVEL="WARNING",
)

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Max  # noqa: E402

from accounts.models import Notification, ServiceConnection  # noqa: E402
from billing import ebill  # noqa: E402
from billing.models import Bill  # noqa: E402
from billing.pdf import render_bill_pdf  # noqa: E402

broker = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until(done, total: int, pid: int) -> tuple[float, int, int]:
    """Seconds until done() reaches total, the worker's RSS at 10 % of it and at the end."""
    start, early = time.perf_counter(), 0
    while (count := done()) < total:
        if not early and count >= total // 10:
            early = rss_kib(pid)
        time.sleep(0.05)
    return time.perf_counter() - start, early or rss_kib(pid), rss_kib(pid)


def run_noops(count: int, pid: int) -> tuple[int, float, float, float]:
    """Publish `count` no-op tasks and wait until the worker ran them all: the count, the seconds from the first
    publish to the last run, the seconds spent publishing and the worker's CPU seconds."""
    broker.delete("bench:noops")
    cpu, start = cpu_seconds(pid), time.perf_counter()
    for number in range(count):
        fanout_fakes.noop.delay(number)
    publish = time.perf_counter() - start
    rest, _, _ = wait_until(lambda: int(broker.get("bench:noops") or 0), count, pid)
    return count, publish + rest, publish, cpu_seconds(pid) - cpu


def prepare(connections: int, paperless: int | None) -> tuple[object, int]:
    call_command("migrate", verbosity=0)
    if ServiceConnection.objects.count() < connections:
        call_command("seed_demo", connections=connections, force=True, if_empty=True)
    period = Bill.objects.aggregate(latest=Max("period"))["latest"]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE accounts_notification CASCADE")
        cursor.execute("TRUNCATE billing_paperlessbilling")
        cursor.execute(
            "INSERT INTO billing_paperlessbilling (connection_id, since)"
            " SELECT id, now() FROM accounts_serviceconnection ORDER BY id LIMIT %s",
            [paperless],
        )
    bills = Bill.objects.filter(period=period, connection__paperless__isnull=False).count()
    return period, bills


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=100_000, help="seeded into an empty database only")
    parser.add_argument("--paperless", type=int, default=None, help="only the first N connections (default all)")
    parser.add_argument("--profile", help="run the worker under cProfile, writing its stats to this file")
    args = parser.parse_args()
    period, bills = prepare(args.connections, args.paperless)
    broker.flushdb()
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}"}
    fakes_command = [sys.executable, str(ROOT / "bench" / "fanout_fakes.py"), str(FAKES_PORT)]
    fakes = subprocess.Popen(fakes_command, env=env)  # noqa: S603 (our own interpreter and script)
    profile = ["-m", "cProfile", "-o", args.profile] if args.profile else []
    worker = subprocess.Popen(  # noqa: S603 (our own interpreter and the project's worker)
        [sys.executable, *profile, "-m", "celery", "-A", "portal", "worker", "--pool", "solo", "-I", "fanout_fakes",
         "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        time.sleep(8)  # the worker connects
        loads = [os.getloadavg()[0]]
        before = run_noops(bills, worker.pid)  # a first sample: the machine's load drifts during a long run
        loads.append(os.getloadavg()[0])
        cpu = [cpu_seconds(worker.pid), cpu_seconds(fakes.pid)]
        start = time.perf_counter()
        queued = ebill.send_ebills(period)
        queue_seconds = time.perf_counter() - start
        outbox_rest, early, late = wait_until(lambda: int(broker.get("bench:sends") or 0), queued, worker.pid)
        outbox_seconds = queue_seconds + outbox_rest
        time.sleep(2)  # let the last rows be marked sent
        outbox_cpu = [cpu_seconds(worker.pid) - cpu[0], cpu_seconds(fakes.pid) - cpu[1]]
        loads.append(os.getloadavg()[0])
        after = run_noops(queued, worker.pid)
        loads.append(os.getloadavg()[0])
    finally:
        worker.terminate()
        worker.wait()
        fakes.terminate()
        fakes.wait()
    sent = Notification.objects.filter(status=Notification.Status.SENT).count()
    once = broker.scard("bench:sent") == int(broker.get("bench:sends") or 0) == queued == sent
    retried = Notification.objects.exclude(attempts=1).count()
    bill = Bill.objects.select_related("connection__customer", "connection__customer_class").first()
    start = time.perf_counter()
    for _ in range(10):
        render_bill_pdf(bill)
    pdf = (time.perf_counter() - start) / 10
    outbox_rate = queued / outbox_seconds
    noop_rates = [count / seconds for count, seconds, _, _ in (before, after)]
    noop_rate = sum(noop_rates) / 2
    print(f"bills {bills}, messages {queued} (channels per person as chosen)")
    print(
        "load average (1 min) at the start, after the first no-ops, after the outbox, at the end:",
        *(f"{x:.1f}" for x in loads),
    )
    for name, (count, seconds, publish, _) in (("before", before), ("after", after)):
        print(f"no-op tasks {name}: {count} in {seconds:.1f} s = {count / seconds:,.0f}/s (publishing {publish:.1f} s)")
    print(f"outbox:       {queued} in {outbox_seconds:.1f} s = {outbox_rate:,.0f}/s (queueing {queue_seconds:.1f} s)")
    print(
        f"ratio outbox / no-op: {outbox_rate / noop_rate:.2f} against the mean of both no-op rates "
        f"({outbox_rate / noop_rates[0]:.2f} / {outbox_rate / noop_rates[1]:.2f} against each)"
    )
    noop_ms = (before[3] + after[3]) / (before[0] + after[0]) * 1000
    worker_ms, fakes_ms = (seconds / queued * 1000 for seconds in outbox_cpu)
    print(f"CPU per message: worker {worker_ms:.2f} ms + fakes {fakes_ms:.2f} ms; per no-op task {noop_ms:.2f} ms")
    growth = (late / early - 1) * 100
    print(
        f"worker RSS after 10 % of the messages: {early / 1024:.0f} MB, "
        f"at the end: {late / 1024:.0f} MB ({growth:+.1f} %)"
    )
    print(f"every message sent exactly once: {once}; rows with more than one attempt: {retried}")
    messages = 300_000 * queued / bills
    print(
        f"300,000 customers (~{messages:,.0f} messages): {messages / outbox_rate / 60:.1f} min of messages; "
        f"one bill PDF renders in {pdf:.2f} s,"
    )
    print(f"so each 10 % of customers needing the file (WhatsApp document) adds {30_000 * pdf / 60:.1f} min per core")


if __name__ == "__main__":
    main()
