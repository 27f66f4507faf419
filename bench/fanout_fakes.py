"""The providers' local fakes for bench/outbox_fanout.py, and its baseline task.

`python bench/fanout_fakes.py PORT` serves the fakes of the test suite (tests/fakes: Postmark's e-mail API,
Infobip's SMS API, Meta's Graph API) over HTTP/1.1 with keep-alive, in a process of its own, so the worker
sends through the real anymail, Infobip and WhatsApp backends over real sockets and the fakes' CPU is part of
the run. Each accepted message is recorded in Redis (`bench:sent`, a set of Message-IDs and numbers with their
text, and the counter `bench:sends`), so the benchmark can check that every message went out exactly once.

`bench.noop` (loaded by the worker with `-I fanout_fakes`) is the baseline: the same Redis bookkeeping, nothing
else.
"""

import io
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import redis
from celery import shared_task

_redis = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])


@shared_task(name="bench.noop")
def noop(number: int) -> None:
    _redis.incr("bench:noops")


def _sent_key(path: str, body: dict) -> str:
    """What identifies one accepted message: the e-mail's Message-ID, else the number and the text."""
    if path == "/email":
        return next(header["Value"] for header in body["Headers"] if header["Name"] == "Message-ID")
    if path.startswith("/sms/"):
        [message] = body["messages"]
        return f"{message['destinations'][0]['to']}:{message['text']}"
    text = body.get("text", {}).get("body") or json.dumps(body.get("template"), sort_keys=True)
    return f"{body['to']}:{text}"


def serve(port: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.fakes import infobip, postmark, whatsapp

    fakes = {"email": postmark.FakePostmark(), "sms": infobip.FakeInfobip(), "graph": whatsapp.FakeGraph()}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: a worker's batch reuses its connection
        # Headers and body go out in two writes: with Nagle's algorithm on, the client's delayed ACK held each
        # answer for 40 ms (the first run measured 42 ms a message, nearly all of it waiting).
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = self.path.split("?")[0]
            kind = "email" if path == "/email" else "sms" if path.startswith("/sms/") else "graph"
            environ = {
                "REQUEST_METHOD": "POST",
                "PATH_INFO": path,
                "CONTENT_LENGTH": str(len(body)),
                "wsgi.input": io.BytesIO(body),
                **{f"HTTP_{name.upper().replace('-', '_')}": value for name, value in self.headers.items()},
            }
            answer: dict = {}

            def start_response(status: str, headers: list) -> None:
                answer["status"] = int(status.split()[0])

            content = b"".join(fakes[kind](environ, start_response))
            for recorded in ("emails", "messages", "media"):  # the bench keeps its record in Redis, not here
                getattr(fakes[kind], recorded, []).clear()
            if answer["status"] == 200 and not path.endswith("/media"):
                pipe = _redis.pipeline(transaction=False)
                pipe.sadd("bench:sent", _sent_key(path, json.loads(body)))
                pipe.incr("bench:sends")
                pipe.execute()
            self.send_response(answer["status"])
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.serve_forever()


def settings_env(port: int) -> dict[str, str]:
    """The worker's settings for the real backends pointed at the fakes."""
    from tests.fakes import infobip, postmark, whatsapp

    base = f"http://127.0.0.1:{port}"
    return {
        "EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend",
        "ANYMAIL_POSTMARK_SERVER_TOKEN": postmark.SERVER_TOKEN,
        "ANYMAIL_POSTMARK_API_URL": f"{base}/",
        "SMS_BACKEND": "accounts.providers.sms_infobip.InfobipSMSBackend",
        "SMS_INFOBIP_BASE_URL": base,
        "SMS_INFOBIP_API_KEY": infobip.API_KEY,
        "WHATSAPP_BACKEND": "accounts.providers.whatsapp.WhatsAppCloudBackend",
        "WHATSAPP_GRAPH_URL": f"{base}/v21.0",
        "WHATSAPP_PHONE_NUMBER_ID": whatsapp.PHONE_NUMBER_ID,
        "WHATSAPP_ACCESS_TOKEN": whatsapp.ACCESS_TOKEN,
    }


if __name__ == "__main__":
    serve(int(sys.argv[1]))
