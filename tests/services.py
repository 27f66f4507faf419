"""Real services a test starts and stops itself: a Redis server on a port of its own and a tiny SMTP server; and
waiting for what a worker does in the background.

Ports: Redis 16380-16399, SMTP 8250-8299 (this worktree's share of the machine).
"""

import shutil
import socket
import socketserver
import subprocess
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import redis


def wait_for(condition: Callable[[], object], seconds: float = 30) -> bool:
    """Whether `condition()` came true within `seconds` (polled every 0.1 s): a worker commits in its own time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return bool(condition())


class RedisServer:
    """A throw-away redis-server without persistence: stopping it loses every queued task, as an outage may."""

    def __init__(self, port: int, workdir: Path) -> None:
        self.port = port
        self.workdir = workdir
        self.url = f"redis://127.0.0.1:{port}/0"
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(  # noqa: S603 - the installed redis-server with fixed arguments
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    @property
    def running(self) -> bool:
        return self._process is not None

    def idle(self) -> bool:
        """No task waits in the queue or is held unacknowledged by a worker."""
        client = redis.Redis(port=self.port)
        try:
            return client.llen("celery") == 0 and client.hlen("unacked") == 0
        finally:
            client.close()

    def stop(self) -> None:
        if self._process:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None


class _SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        server: SMTPStub = self.server  # type: ignore[assignment]
        self.reply("220 stub ESMTP")
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 stub")
            elif verb == "RCPT":
                self.reply(server.rcpt_answer)
            elif verb == "DATA":
                self.reply("354 go ahead")
                data = b"".join(iter(lambda: self.rfile.readline(), b".\r\n"))
                server.received.append(data)
                self.reply("250 accepted")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # MAIL, RSET, NOOP
                self.reply("250 ok")


class SMTPStub(socketserver.ThreadingTCPServer):
    """An SMTP server that keeps what it accepts; `rcpt_answer` sets its answer to each recipient."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, rcpt_answer: str = "250 ok") -> None:
        super().__init__(("127.0.0.1", port), _SMTPHandler)
        self.rcpt_answer = rcpt_answer
        self.received: list[bytes] = []


@contextmanager
def smtp_stub(port: int, rcpt_answer: str = "250 ok"):
    server = SMTPStub(port, rcpt_answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
