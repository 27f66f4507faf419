"""A fake of Postmark's e-mail API (`POST /email`), answered as documented
(postmarkapp.com/developer/api/email-api), and its delivery webhook payload with the basic auth anymail checks."""

import base64
import json
import threading
import uuid
from dataclasses import dataclass, field

SERVER_TOKEN = "fake-postmark-server-token"
WEBHOOK_SECRET = "postmark:fake-hook-secret"


@dataclass
class FakePostmark:
    """Records every e-mail the backend sent (the JSON body Postmark would receive)."""

    emails: list[dict] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        if environ.get("HTTP_X_POSTMARK_SERVER_TOKEN") != SERVER_TOKEN:
            error = {"ErrorCode": 10, "Message": "The Server Token you provided in the X-Postmark-Server-Token "
                     "request header was invalid."}  # fmt: skip
            return self._json(start_response, error, "401 Unauthorized")
        if environ["REQUEST_METHOD"] != "POST" or environ["PATH_INFO"] != "/email":
            return self._json(start_response, {"ErrorCode": 404, "Message": "Not found"}, "404 Not Found")
        email = json.loads(body)
        answer = {
            "To": email["To"],
            "SubmittedAt": "2026-12-01T06:00:00.0000000-05:00",
            "MessageID": str(uuid.uuid4()),
            "ErrorCode": 0,
            "Message": "OK",
        }
        with self._lock:
            self.emails.append({**email, "MessageID": answer["MessageID"]})
        return self._json(start_response, answer)

    def _json(self, start_response, data, status="200 OK"):
        start_response(status, [("Content-Type", "application/json")])
        return [json.dumps(data).encode()]


def settings_for(settings, base_url: str) -> None:
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {
        "POSTMARK_SERVER_TOKEN": SERVER_TOKEN,
        "POSTMARK_API_URL": f"{base_url}/",
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
    }


def basic_auth(secret: str = WEBHOOK_SECRET) -> str:
    return "Basic " + base64.b64encode(secret.encode()).decode()


def delivery_payload(message_id: str, email: str) -> dict:
    """A Delivery webhook as Postmark posts it."""
    return {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": "outbound",
        "MessageID": message_id,
        "Recipient": email,
        "Tag": "",
        "DeliveredAt": "2026-12-01T06:00:05Z",
        "Details": "Test delivery webhook details",
        "Metadata": {},
    }
