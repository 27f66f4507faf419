"""SMS through Infobip's HTTP API (`POST /sms/2/text/advanced`), with delivery reports and replies posted back
to our webhook (www.infobip.com/docs/api/channels/sms).

Infobip because it is a direct operator-connected gateway in Indonesia (alphanumeric sender IDs registered with
Telkomsel, Indosat and XL), has a documented JSON API with per-message delivery reports and inbound numbers for
STOP replies; local resellers such as Zenziva document no delivery report callback.
"""

from typing import Any

import requests
from django.conf import settings
from django.urls import reverse

from accounts.channels import MessageBackend, PermanentFailure, RenderedMessage
from accounts.models import Notification
from accounts.providers.http import pin_environment


def report_url() -> str:
    return settings.SITE_URL + reverse("webhooks:sms-reports", args=[settings.SMS_WEBHOOK_TOKEN])


class InfobipSMSBackend(MessageBackend):
    """Sends from SMS_SENDER through SMS_INFOBIP_BASE_URL with the API key SMS_INFOBIP_API_KEY."""

    def __init__(self) -> None:
        # One session per backend: a worker's batch of messages shares its kept-alive connection.
        self.session = pin_environment(requests.Session(), settings.SMS_INFOBIP_BASE_URL)

    def send(self, to: str, text: str) -> None:
        self._send(to, text)

    def deliver(self, notification: Notification, message: RenderedMessage) -> str:
        return self._send(notification.to_address, message.text)

    def _send(self, to: str, text: str) -> str:
        message: dict[str, Any] = {"destinations": [{"to": to.lstrip("+")}], "from": settings.SMS_SENDER, "text": text}
        if settings.SMS_WEBHOOK_TOKEN:
            message |= {"notifyUrl": report_url(), "notifyContentType": "application/json"}
        response = self.session.post(
            f"{settings.SMS_INFOBIP_BASE_URL.rstrip('/')}/sms/2/text/advanced",
            json={"messages": [message]},
            headers={"Authorization": f"App {settings.SMS_INFOBIP_API_KEY}", "Accept": "application/json"},
            timeout=settings.SMS_TIMEOUT,
        )
        if response.status_code >= 500 or response.status_code == 429:
            raise OSError(f"Infobip {response.status_code}: {response.text[:200]}")
        if response.status_code >= 400:
            raise PermanentFailure(f"Infobip {response.status_code}: {response.text[:300]}", unreachable=False)
        [sent] = response.json()["messages"]
        status = sent.get("status") or {}
        if status.get("groupName") == "REJECTED":
            # e.g. REJECTED_DESTINATION / REJECTED_PREFIX_MISSING: the number itself cannot take SMS.
            reason = f"Infobip {status.get('name')}: {status.get('description', '')}"
            raise PermanentFailure(reason, unreachable="DESTINATION" in str(status.get("name", "")))
        return str(sent["messageId"])
