"""Infobip's delivery reports and inbound SMS (STOP/BERHENTI opts out). Infobip does not sign its callbacks, so
their URLs carry a secret of ours (SMS_WEBHOOK_TOKEN), compared in constant time; anything else is 403."""

import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.http.request import RawPostDataException
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.models import Notification
from accounts.providers import replies

SMS = Notification.Channel.SMS
DeliveryStatus = Notification.DeliveryStatus
# Infobip status groups (www.infobip.com/docs/essentials/response-status-and-error-codes).
_GROUPS = {
    "DELIVERED": DeliveryStatus.DELIVERED,
    "UNDELIVERABLE": DeliveryStatus.FAILED,
    "EXPIRED": DeliveryStatus.FAILED,
}


def _time(value: object) -> datetime:
    try:
        return datetime.fromisoformat(str(value).replace("+0000", "+00:00")).astimezone(UTC)
    except ValueError:
        return timezone.now()


def record_reports(payload: dict[str, Any]) -> None:
    for report in payload["results"]:
        status = _GROUPS.get(str((report.get("status") or {}).get("groupName")))
        if status is None:
            continue
        error = report.get("error") or {}
        reason = f"{error.get('name', '')}: {error.get('description', '')}" if error.get("id") else ""
        state = report.get("status") or {}
        reason = reason or f"{state.get('name', '')}: {state.get('description', '')}"
        reason = "" if status == DeliveryStatus.DELIVERED else reason
        unreachable = status == DeliveryStatus.FAILED and bool(error.get("permanent"))
        replies.record_status(
            SMS, str(report["messageId"]), status, _time(report.get("doneAt")), reason, unreachable=unreachable
        )


def record_inbound(payload: dict[str, Any]) -> None:
    for message in payload["results"]:
        sender = "+" + str(message["from"]).lstrip("+")
        text = str(message.get("cleanText") or message.get("text") or "")
        replies.record_inbound(SMS, sender, text, str(message["messageId"]), _time(message.get("receivedAt")))


def _handle(request: HttpRequest, token: str, record: Any) -> HttpResponse:
    if not settings.SMS_WEBHOOK_TOKEN or not constant_time_compare(token, settings.SMS_WEBHOOK_TOKEN):
        return HttpResponseForbidden()
    try:
        with transaction.atomic():
            record(json.loads(request.body))
    except RawPostDataException:  # a form upload whose stream middleware already read: not Infobip's JSON
        return HttpResponse(status=400)
    except (ValueError, KeyError, TypeError, AttributeError):
        return HttpResponse(status=400)
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@require_POST
def reports(request: HttpRequest, token: str) -> HttpResponse:
    return _handle(request, token, record_reports)


@csrf_exempt
@require_POST
def inbound(request: HttpRequest, token: str) -> HttpResponse:
    return _handle(request, token, record_inbound)
