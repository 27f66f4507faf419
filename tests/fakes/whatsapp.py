"""A fake of Meta's Graph API for the WhatsApp Cloud API: media upload and messages, answered as documented
(developers.facebook.com/docs/whatsapp/cloud-api/reference), plus signed webhook payloads to post back."""

import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field

PHONE_NUMBER_ID = "106540352242922"
ACCESS_TOKEN = "fake-graph-token"
APP_SECRET = "fake-app-secret"
VERIFY_TOKEN = "fake-verify-token"


@dataclass
class FakeGraph:
    """Records what the backend sent; numbers in `no_whatsapp` are refused with error 131026."""

    messages: list[dict] = field(default_factory=list)
    media: list[bytes] = field(default_factory=list)
    no_whatsapp: set[str] = field(default_factory=set)
    busy: bool = False
    _ids: itertools.count = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        path = environ["PATH_INFO"]
        if environ.get("HTTP_AUTHORIZATION") != f"Bearer {ACCESS_TOKEN}":
            return self._error(start_response, "401 Unauthorized", 190, "Invalid OAuth access token.")
        if self.busy:
            return self._error(start_response, "503 Service Unavailable", 131000, "Something went wrong")
        with self._lock:
            number = next(self._ids)
            if path.endswith(f"/{PHONE_NUMBER_ID}/media"):
                self.media.append(body)
                return self._json(start_response, {"id": f"media-{number}"})
            if path.endswith(f"/{PHONE_NUMBER_ID}/messages"):
                message = json.loads(body)
                if message["to"] in self.no_whatsapp:
                    return self._error(start_response, "400 Bad Request", 131026, "Message Undeliverable.")
                self.messages.append(message)
                wamid = f"wamid.fake{number}"
                return self._json(
                    start_response,
                    {
                        "messaging_product": "whatsapp",
                        "contacts": [{"input": message["to"], "wa_id": message["to"]}],
                        "messages": [{"id": wamid}],
                    },
                )
        return self._error(start_response, "404 Not Found", 100, "Unsupported post request.")

    def _json(self, start_response, data, status="200 OK"):
        start_response(status, [("Content-Type", "application/json")])
        return [json.dumps(data).encode()]

    def _error(self, start_response, status, code, message):
        error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf"}
        return self._json(start_response, {"error": error}, status)


def settings_for(settings, base_url: str) -> None:
    settings.WHATSAPP_BACKEND = "accounts.providers.whatsapp.WhatsAppCloudBackend"
    settings.WHATSAPP_GRAPH_URL = f"{base_url}/v21.0"
    settings.WHATSAPP_PHONE_NUMBER_ID = PHONE_NUMBER_ID
    settings.WHATSAPP_ACCESS_TOKEN = ACCESS_TOKEN
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN


def _notification(value: dict) -> dict:
    metadata = {"display_phone_number": "6281100001111", "phone_number_id": PHONE_NUMBER_ID}
    change = {"value": {"messaging_product": "whatsapp", "metadata": metadata, **value}, "field": "messages"}
    return {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [change]}]}


def status_payload(wamid: str, to: str, status: str, errors: list[dict] | None = None) -> dict:
    """A `statuses` notification as Meta posts it for a message we sent."""
    item = {"id": wamid, "status": status, "timestamp": str(int(time.time())), "recipient_id": to}
    if errors:
        item["errors"] = errors
    return _notification({"statuses": [item]})


def message_payload(wamid: str, sender: str, text: str) -> dict:
    """A `messages` notification: a person wrote to us."""
    contact = {"profile": {"name": "Budi"}, "wa_id": sender}
    message = {"from": sender, "id": wamid, "timestamp": str(int(time.time())), "type": "text", "text": {"body": text}}
    return _notification({"contacts": [contact], "messages": [message]})


def signed(payload: dict, secret: str = APP_SECRET) -> tuple[bytes, str]:
    body = json.dumps(payload).encode()
    return body, "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
