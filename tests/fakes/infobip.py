"""A fake of Infobip's SMS API (`POST /sms/2/text/advanced`) and its delivery reports and inbound payloads, shaped
as documented (www.infobip.com/docs/api/channels/sms)."""

import itertools
import json
import threading
from dataclasses import dataclass, field

API_KEY = "fake-infobip-key"
WEBHOOK_TOKEN = "fake-sms-webhook-token"


@dataclass
class FakeInfobip:
    """Records the messages sent; numbers in `rejected` are answered REJECTED_DESTINATION."""

    messages: list[dict] = field(default_factory=list)
    rejected: set[str] = field(default_factory=set)
    _ids: itertools.count = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        if environ.get("HTTP_AUTHORIZATION") != f"App {API_KEY}":
            error = {"requestError": {"serviceException": {"messageId": "UNAUTHORIZED", "text": "Invalid login"}}}
            return self._json(start_response, error, "401 Unauthorized")
        if environ["PATH_INFO"] != "/sms/2/text/advanced":
            return self._json(start_response, {}, "404 Not Found")
        [message] = json.loads(body)["messages"]
        to = message["destinations"][0]["to"]
        with self._lock:
            message_id = f"{next(self._ids) + 4006000000000000}"
            if to in self.rejected:
                status = {"groupId": 5, "groupName": "REJECTED", "id": 51, "name": "REJECTED_DESTINATION"}
                status["description"] = "Destination rejected"
            else:
                self.messages.append(message)
                status = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED"}
                status["description"] = "Message sent to next instance"
        answer = {"bulkId": "2034072219640523073", "messages": [{"messageId": message_id, "status": status, "to": to}]}
        return self._json(start_response, answer)

    def _json(self, start_response, data, status="200 OK"):
        start_response(status, [("Content-Type", "application/json")])
        return [json.dumps(data).encode()]


def settings_for(settings, base_url: str) -> None:
    settings.SMS_BACKEND = "accounts.providers.sms_infobip.InfobipSMSBackend"
    settings.SMS_INFOBIP_BASE_URL = base_url
    settings.SMS_INFOBIP_API_KEY = API_KEY
    settings.SMS_WEBHOOK_TOKEN = WEBHOOK_TOKEN


def report_payload(message_id: str, to: str, group: str = "DELIVERED", permanent_error: bool = False) -> dict:
    """A delivery report as Infobip posts it to notifyUrl."""
    states = {
        "DELIVERED": {"groupId": 3, "groupName": "DELIVERED", "id": 5, "name": "DELIVERED_TO_HANDSET"},
        "UNDELIVERABLE": {"groupId": 2, "groupName": "UNDELIVERABLE", "id": 9, "name": "UNDELIVERABLE_NOT_DELIVERED"},
    }
    error = {
        "groupId": 0,
        "groupName": "OK",
        "id": 0,
        "name": "NO_ERROR",
        "description": "No Error",
        "permanent": False,
    }
    if group != "DELIVERED":
        error = {
            "groupId": 1,
            "groupName": "HANDSET_ERRORS",
            "id": 27 if permanent_error else 6,
            "name": "EC_ABSENT_SUBSCRIBER" if permanent_error else "EC_MEMORY_CAPACITY_EXCEEDED",
            "description": "Absent Subscriber" if permanent_error else "Memory capacity exceeded",
            "permanent": permanent_error,
        }
    result = {
        "bulkId": "2034072219640523073",
        "messageId": message_id,
        "to": to,
        "sentAt": "2026-12-01T06:00:00.000+0000",
        "doneAt": "2026-12-01T06:00:05.000+0000",
        "smsCount": 1,
        "price": {"pricePerMessage": 0, "currency": "IDR"},
        "status": {**states[group], "description": "Message delivered to handset"},
        "error": error,
    }
    return {"results": [result]}


def inbound_payload(message_id: str, sender: str, text: str) -> dict:
    result = {
        "messageId": message_id,
        "from": sender,
        "to": "62811000111",
        "text": text,
        "cleanText": text,
        "keyword": text.split()[0].upper() if text.split() else "",
        "receivedAt": "2026-12-01T06:10:00.000+0000",
        "smsCount": 1,
        "price": {"pricePerMessage": 0, "currency": "IDR"},
    }
    return {"results": [result], "messageCount": 1, "pendingMessageCount": 0}
