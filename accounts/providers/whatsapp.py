"""WhatsApp Business Cloud API (Meta's Graph API): template, text and document messages.

Inside the 24-hour customer service window (opened by the person's last message to us) a free-form text or
document goes out; outside it Meta accepts only approved templates, so the same message goes as the template
of its kind (`<WHATSAPP_TEMPLATE_PREFIX><app>_<name>`, e.g. `tirta_billing_receipt`, approved in Indonesian
`id` and English `en`), with the message's text as its one body parameter and, for a PDF, a document header.
"""

from datetime import timedelta
from typing import Any

import requests
from django.conf import settings
from django.utils import timezone

from accounts.channels import MessageBackend, PermanentFailure, RenderedMessage
from accounts.models import InboundMessage, Notification
from accounts.providers.http import pin_environment

SERVICE_WINDOW = timedelta(hours=24)
# Graph API error codes (developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
_THROTTLED = {4, 80007, 130429, 131048, 131056}  # rate limits: try again later
_NOT_A_WHATSAPP_USER = {131026}  # "message undeliverable": no WhatsApp on this number
_TRANSIENT = {1, 2, 131000, 131016}  # unknown / service unavailable on Meta's side


def wa_id(e164: str) -> str:
    """`+6281234567890` → `6281234567890`, the form the Graph API uses for numbers."""
    return e164.lstrip("+")


def from_wa_id(number: str) -> str:
    return "+" + number.lstrip("+")


def service_window_open(address: str) -> bool:
    """Whether the person wrote to us on WhatsApp in the last 24 hours (free-form messages allowed)."""
    since = timezone.now() - SERVICE_WINDOW
    return InboundMessage.objects.filter(
        channel=Notification.Channel.WHATSAPP, from_address=address, received_at__gte=since
    ).exists()


def template_name(notification: Notification) -> str:
    return settings.WHATSAPP_TEMPLATE_PREFIX + notification.template.replace("/", "_")


def _template_text(text: str) -> str:
    # Meta refuses template parameters holding new lines, tabs or more than four spaces in a row.
    return " ".join(text.split())


class WhatsAppCloudBackend(MessageBackend):
    """Sends through `WHATSAPP_GRAPH_URL/<WHATSAPP_PHONE_NUMBER_ID>/messages` with `WHATSAPP_ACCESS_TOKEN`."""

    def __init__(self) -> None:
        self.base = f"{settings.WHATSAPP_GRAPH_URL.rstrip('/')}/{settings.WHATSAPP_PHONE_NUMBER_ID}"
        self.session = pin_environment(requests.Session(), self.base)
        self.session.headers["Authorization"] = f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}"

    def send(self, to: str, text: str) -> None:
        self._post("messages", json=self._text(to, text))

    def deliver(self, notification: Notification, message: RenderedMessage) -> str:
        to = notification.to_address
        documents = [self._upload(filename, content, mimetype) for filename, content, mimetype in message.attachments]
        if service_window_open(to):
            if documents:
                media_id, filename = documents[0]
                document = {"id": media_id, "filename": filename, "caption": message.text}
                payload = self._payload(to, "document", {"document": document})
            else:
                payload = self._text(to, message.text)
        else:
            payload = self._template(notification, message.text, documents[:1])
        answer = self._post("messages", json=payload)
        return str(answer["messages"][0]["id"])

    def _payload(self, to: str, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": wa_id(to), "type": kind, **body}

    def _text(self, to: str, text: str) -> dict[str, Any]:
        return self._payload(to, "text", {"text": {"preview_url": True, "body": text}})

    def _template(self, notification: Notification, text: str, documents: list[tuple[str, str]]) -> dict[str, Any]:
        components: list[dict[str, Any]] = []
        for media_id, filename in documents:
            document = {"type": "document", "document": {"id": media_id, "filename": filename}}
            components.append({"type": "header", "parameters": [document]})
        components.append({"type": "body", "parameters": [{"type": "text", "text": _template_text(text)}]})
        template = {"name": template_name(notification), "language": {"code": notification.language}}
        return self._payload(notification.to_address, "template", {"template": {**template, "components": components}})

    def _upload(self, filename: str, content: bytes, mimetype: str) -> tuple[str, str]:
        """Upload a file as WhatsApp media; returns its media id and the file name to show."""
        answer = self._post(
            "media",
            data={"messaging_product": "whatsapp", "type": mimetype},
            files={"file": (filename, content, mimetype)},
        )
        return str(answer["id"]), filename

    def _post(self, path: str, **kwargs: Any) -> dict[str, Any]:
        """POST to the Graph API; network errors and throttling raise OSError (retried), refusals PermanentFailure."""
        response = self.session.post(f"{self.base}/{path}", timeout=settings.WHATSAPP_TIMEOUT, **kwargs)
        if response.status_code < 400:
            answer: dict[str, Any] = response.json()
            return answer
        try:
            error = response.json().get("error", {})
        except ValueError:
            error = {}
        code = error.get("code")
        reason = f"WhatsApp {response.status_code} {code}: {error.get('message', response.text[:200])}"
        if response.status_code >= 500 or response.status_code == 429 or code in _THROTTLED | _TRANSIENT:
            raise OSError(reason)
        raise PermanentFailure(reason, unreachable=code in _NOT_A_WHATSAPP_USER)
