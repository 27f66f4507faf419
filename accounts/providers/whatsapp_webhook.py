"""The WhatsApp Cloud API webhook: Meta's verification challenge, then signed notifications of delivery
statuses and inbound messages (payloads as in developers.facebook.com/docs/whatsapp/cloud-api/webhooks)."""

import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.http.request import RawPostDataException
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.models import Notification
from accounts.providers import replies
from accounts.providers.whatsapp import from_wa_id

WHATSAPP = Notification.Channel.WHATSAPP
_STATUSES = {str(value) for value in Notification.DeliveryStatus.values}
_NOT_A_WHATSAPP_USER = {131026}


def _time(timestamp: object) -> datetime:
    try:
        return datetime.fromtimestamp(int(str(timestamp)), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return datetime.now(tz=UTC)


def record(payload: dict[str, Any]) -> None:
    """Record every status and message in a verified notification; unknown parts are ignored."""
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            for status in value.get("statuses") or []:
                _status(status)
            for message in value.get("messages") or []:
                text = (message.get("text") or {}).get("body", "") if message.get("type") == "text" else ""
                replies.record_inbound(
                    WHATSAPP,
                    from_wa_id(str(message["from"])),
                    text,
                    str(message["id"]),
                    _time(message.get("timestamp")),
                )


def _status(status: dict[str, Any]) -> None:
    name = str(status.get("status", ""))
    if name not in _STATUSES:
        return
    errors = status.get("errors") or []
    error = "; ".join(
        f"{e.get('code')} {e.get('title', '')}: {(e.get('error_data') or {}).get('details', e.get('message', ''))}"
        for e in errors
    )
    unreachable = any(e.get("code") in _NOT_A_WHATSAPP_USER for e in errors)
    replies.record_status(
        WHATSAPP, str(status["id"]), name, _time(status.get("timestamp")), error, unreachable=unreachable
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        token = request.GET.get("hub.verify_token", "")
        verified = settings.WHATSAPP_VERIFY_TOKEN and constant_time_compare(token, settings.WHATSAPP_VERIFY_TOKEN)
        if request.GET.get("hub.mode") == "subscribe" and verified:
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponseForbidden()
    try:
        body = request.body
    except RawPostDataException:  # a form upload whose stream middleware already read: not Meta's JSON
        return HttpResponseForbidden()
    if not replies.signature_valid(body, request.headers.get("X-Hub-Signature-256", ""), settings.WHATSAPP_APP_SECRET):
        return HttpResponseForbidden()
    try:
        with transaction.atomic():  # all of a notification or none of it: Meta sends it again after a 400
            record(json.loads(body))
    except (ValueError, KeyError, TypeError, AttributeError):
        # Signed by Meta yet not shaped as documented: answering 2xx would hide it; 400 makes Meta retry and log.
        return HttpResponse(status=400)
    return HttpResponse("ok", content_type="text/plain")
