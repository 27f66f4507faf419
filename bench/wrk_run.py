"""wrk for bench/http_load.py: one page's requests as a Lua script, its figures, and the CPU wrk itself used."""

import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Page:
    name: str
    requests: list[tuple]  # method, path, body, and optionally that request's own headers (a signed SNAP call)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    name: str
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int
    requests: int
    wrk_cpu: float
    busy: float
    cpu_ms: dict[str, float] = field(default_factory=dict)  # CPU per request by process: server, postgres, …


def lua_script(page: Page) -> str:
    def text(value: str) -> str:
        return f"[==[{value}]==]"

    def row(request: tuple) -> str:
        method, path, body, *own = request
        own_headers = ", ".join(f"[ {text(k)} ] = {text(v)}" for k, v in (own[0] if own else {}).items())
        return f"  {{{text(method)}, {text(path)}, {text(body) if body else 'nil'}, {{{own_headers}}}}}"

    rows = ",\n".join(row(request) for request in page.requests)
    headers = {"X-Forwarded-Proto": "https", **page.headers}
    header_rows = ",\n".join(f"  [ {text(k)} ] = {text(v)}" for k, v in headers.items())  # "[[" opens a string
    return f"""
local requests = {{
{rows}
}}
local headers = {{
{header_rows}
}}
local i = 0
local threads = 0
-- Each thread, and each run (the warm-up and the measured seconds), starts at its own random place in the
-- rotation: unseeded, every one of them would replay the same requests in the same order.
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end
function init(args)
  math.randomseed(os.time() * 1000 + thread_number)
  i = math.random(#requests) - 1
end
function request()
  i = i % #requests + 1
  local r = requests[i]
  if next(r[4]) == nil then
    return wrk.format(r[1], r[2], headers, r[3])
  end
  local h = {{}}
  for k, v in pairs(headers) do h[k] = v end
  for k, v in pairs(r[4]) do h[k] = v end
  return wrk.format(r[1], r[2], h, r[3])
end
function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %.1f %.1f %.1f\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


# The server under test connects with this application_name (PGAPPNAME), so that its Postgres backends can be told
# from any other database work on the machine.
SERVER_APPLICATION_NAME = "tirta-bench-server"


def server_backends() -> set[int]:
    """The pids of the Postgres backends serving the server under test."""
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [SERVER_APPLICATION_NAME])
        return {pid for (pid,) in rows}


def read_stat(stat: Path) -> tuple[str, int, float]:
    """A process's command name, parent pid and CPU seconds (user + system) so far, from its /proc/PID/stat."""
    text = stat.read_text()
    comm, rest = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
    return comm, int(rest[1]), (int(rest[11]) + int(rest[12])) / os.sysconf("SC_CLK_TCK")


def process_cpu(server_pid: int, backends: set[int]) -> dict[int, tuple[str, float]]:
    """Per process: its group (the server and its workers, their Postgres backends, Redis) and CPU seconds used
    so far."""
    used = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            comm, ppid, cpu = read_stat(stat)
        except OSError:  # the process ended
            continue
        pid = int(stat.parent.name)
        if server_pid in (pid, ppid):
            used[pid] = ("server", cpu)
        elif pid in backends:
            used[pid] = ("postgres", cpu)
        elif comm.startswith("redis"):
            used[pid] = ("redis", cpu)
    return used


def cpu_used_between(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]) -> dict[str, float]:
    """CPU seconds per group between two snapshots; a process that ended in between is missing (a Postgres
    backend closed by CONN_MAX_AGE), one that started counts whole."""
    used = {"server": 0.0, "postgres": 0.0, "redis": 0.0}
    for pid, (group, cpu) in after.items():
        used[group] += cpu - before.get(pid, (group, 0.0))[1]
    return used


def wrk(page: Page, port: int, threads: int, clients: int, seconds: int, server_pid: int = 0) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(page))
    url = f"http://127.0.0.1:{port}"
    command = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds}s", "--timeout", "5s", "-s", script.name]
    before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy_before, total_before = cpu_times()
    backends = server_backends() if server_pid else set()
    processes_before = process_cpu(server_pid, backends)
    started = time.monotonic()
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    elapsed = time.monotonic() - started
    busy_after, total_after = cpu_times()
    backends |= server_backends() if server_pid else set()
    processes_after = process_cpu(server_pid, backends)
    after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    os.unlink(script.name)
    match = re.search(r"RESULT (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", output)
    if match is None:
        sys.exit(f"{page.name}: no result from wrk:\n{output}")
    requests, duration_us, errors = (int(match.group(n)) for n in (1, 2, 3))
    p50, p95, p99 = (float(match.group(n)) / 1000 for n in (4, 5, 6))
    wrk_cpu = sum(getattr(after_children, f) - getattr(before_children, f) for f in ("ru_utime", "ru_stime"))
    answered = max(requests, 1)
    used = cpu_used_between(processes_before, processes_after)
    cpu_ms = {name: seconds * 1000 / answered for name, seconds in used.items()}
    cpu_ms["wrk"] = wrk_cpu * 1000 / answered
    machine = (busy_after - busy_before) / os.sysconf("SC_CLK_TCK") * 1000 / answered
    cpu_ms["other"] = max(machine - sum(cpu_ms.values()), 0.0)
    return Result(
        name=page.name,
        rps=requests / (duration_us / 1e6),
        p50=p50,
        p95=p95,
        p99=p99,
        errors=errors,
        requests=requests,
        wrk_cpu=wrk_cpu / elapsed,
        busy=(busy_after - busy_before) / max(total_after - total_before, 1),
        cpu_ms=cpu_ms,
    )
