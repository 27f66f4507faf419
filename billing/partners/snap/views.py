"""The SNAP endpoints' plumbing: read the raw body, authenticate, call the service, answer and keep a record.

The raw body is signed, so it is read as bytes here rather than parsed by a schema; every request and answer is
stored (tokens and signatures removed) whatever the outcome, for disputes with a bank.
"""

import json
from collections.abc import Callable

from django.db import connection as db
from django.http import HttpRequest, JsonResponse
from django.http.request import RawPostDataException
from django.utils import timezone

from accounts.partners.models import Partner
from billing.partners.snap import auth, codes
from billing.partners.snap.codes import Service, SnapRefusal

KEPT_HEADERS = ("X-TIMESTAMP", "X-CLIENT-KEY", "X-PARTNER-ID", "X-EXTERNAL-ID", "CHANNEL-ID", "Content-Type")

ServiceCall = Callable[[Partner, dict], codes.Answer]

# One row per call, written out in SQL: through the ORM the insert cost more CPU than the inquiry's own reads
# (bench/README.md, stop 21). The columns are those of SnapExchange.
_STORE_EXCHANGE_SQL = """
    INSERT INTO billing_snapexchange (partner_id, service, external_id, request_headers, request_body, http_status,
        response_code, response_body, received_at)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
"""


def _raw(request: HttpRequest) -> bytes:
    """The body as sent; empty when a middleware already consumed a multipart form (never valid here)."""
    try:
        return request.body
    except RawPostDataException:
        return b""


def _body(request: HttpRequest) -> dict:
    try:
        data = json.loads(_raw(request))
    except ValueError:
        raise SnapRefusal(codes.BAD_REQUEST) from None
    if not isinstance(data, dict):
        raise SnapRefusal(codes.BAD_REQUEST)
    return data


def _respond(
    request: HttpRequest, service: Service, result: codes.Answer, partner: Partner | None, stored: dict
) -> JsonResponse:
    kept = {name: request.headers[name] for name in KEPT_HEADERS if name in request.headers}
    with db.cursor() as cursor:
        cursor.execute(
            _STORE_EXCHANGE_SQL,
            [
                partner.pk if partner else None,
                service.name.lower(),
                request.headers.get("X-EXTERNAL-ID", "")[:64],
                db.ops.adapt_json_value(kept, None),
                _raw(request).decode("utf-8", errors="replace"),
                result.http_status,
                result.response_code,
                json.dumps(stored, ensure_ascii=False),
                timezone.now(),
            ],
        )
    response = JsonResponse(result.body, status=result.http_status, json_dumps_params={"ensure_ascii": False})
    response["X-TIMESTAMP"] = timezone.localtime().isoformat(timespec="seconds")
    return response


def access_token(request: HttpRequest) -> JsonResponse:
    try:
        issued = auth.issue_token(request.headers, _body(request))
    except SnapRefusal as refusal:
        result = codes.answer(Service.TOKEN, refusal.case, refusal.detail)
        return _respond(request, Service.TOKEN, result, None, result.body)
    fields = {"tokenType": "Bearer", "expiresIn": str(issued.expires_in)}
    result = codes.answer(Service.TOKEN, codes.SUCCESS, accessToken=issued.access_token, **fields)
    stored = {**result.body, "accessToken": "[removed]"}
    return _respond(request, Service.TOKEN, result, issued.partner, stored)


def transactional(request: HttpRequest, service: Service, call: ServiceCall) -> JsonResponse:
    """Authenticate a signed call, hold its X-EXTERNAL-ID for the day, then run the service."""
    partner = None
    try:
        data = _body(request)
        method, body = request.method or "POST", _raw(request)
        caller = auth.authenticate(request.headers, method, request.path, body)
        partner = caller.partner
        auth.claim_external_id(caller, request.headers.get("X-EXTERNAL-ID", ""), method, request.path, body)
        result = call(partner, data)
    except SnapRefusal as refusal:
        result = codes.answer(service, refusal.case, refusal.detail)
    return _respond(request, service, result, partner, result.body)
