"""SNAP BI routes for the project's one NinjaAPI; the OpenAPI description says what each call takes and answers.

The handlers take the request itself, not a schema: the signature covers the raw body, and the standard's own
response codes (not a 422) must answer a malformed one. The bodies are therefore described in `openapi_extra`.
"""

from django.http import HttpRequest, JsonResponse
from ninja import Router

from billing.partners.snap import va, views
from billing.partners.snap.codes import Service

router = Router(tags=["SNAP BI virtual accounts"])

_SIGNED_HEADERS = [
    {"name": name, "in": "header", "required": True, "schema": {"type": "string"}, "description": text}
    for name, text in [
        ("Authorization", "`Bearer <accessToken>` from /v1.0/access-token/b2b"),
        ("X-TIMESTAMP", "ISO 8601 with offset, within 5 minutes of Tirta's clock"),
        ("X-PARTNER-ID", "your partner id (client key)"),
        ("X-EXTERNAL-ID", "unique per request and day (at most 36 characters)"),
        ("CHANNEL-ID", "your channel, one of those registered for you"),
        (
            "X-SIGNATURE",
            "base64(HMAC-SHA512(client secret, METHOD:PATH:accessToken:"
            "lowercase(hex(sha256(minified body))):X-TIMESTAMP))",
        ),
    ]
]
_MONEY = {
    "type": "object",
    "properties": {"value": {"type": "string", "example": "123000.00"}, "currency": {"const": "IDR"}},
}
_ACCOUNT = {
    "partnerServiceId": {"type": "string", "example": "   12345", "description": "company code, 8 characters"},
    "customerNo": {"type": "string", "example": "1001000001"},
    "virtualAccountNo": {"type": "string", "example": "   123451001000001"},
}


def _body(required: list[str], **properties) -> dict:
    schema = {"type": "object", "required": required, "properties": {**_ACCOUNT, **properties}}
    return {"content": {"application/json": {"schema": schema}}, "required": True}


def _extra(body: dict, answer: str) -> dict:
    return {
        "parameters": _SIGNED_HEADERS,
        "requestBody": body,
        "responses": {200: {"description": answer}, 400: {"description": "refused, see responseCode"}},
    }


_TOKEN_EXTRA = {
    "parameters": [
        {"name": name, "in": "header", "required": True, "schema": {"type": "string"}}
        for name in ("X-CLIENT-KEY", "X-TIMESTAMP", "X-SIGNATURE")
    ],
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {"grantType": {"const": "client_credentials"}}}
            }
        },
        "required": True,
    },
    "responses": {200: {"description": "accessToken valid 15 minutes (expiresIn 900)"}},
}


@router.post(
    "/access-token/b2b", summary="B2B access token (SHA256withRSA of clientKey|X-TIMESTAMP)", openapi_extra=_TOKEN_EXTRA
)
def access_token(request: HttpRequest) -> JsonResponse:
    return views.access_token(request)


@router.post(
    "/transfer-va/inquiry",
    summary="What a virtual account owes now",
    openapi_extra=_extra(
        _body(
            ["partnerServiceId", "customerNo", "virtualAccountNo", "inquiryRequestId"],
            inquiryRequestId={"type": "string"},
        ),
        "virtualAccountData with totalAmount, billDetails, masked virtualAccountName",
    ),
)
def inquiry(request: HttpRequest) -> JsonResponse:
    return views.transactional(request, Service.INQUIRY, va.inquiry)


@router.post(
    "/transfer-va/payment",
    summary="Pay the exact amount inquired (idempotent on paymentRequestId)",
    openapi_extra=_extra(
        _body(
            ["partnerServiceId", "customerNo", "virtualAccountNo", "paymentRequestId", "paidAmount"],
            paymentRequestId={"type": "string"},
            paidAmount=_MONEY,
            flagAdvise={"type": "string", "enum": ["Y", "N"]},
        ),
        "paymentFlagStatus 00 and additionalInfo.receiptNumber",
    ),
)
def payment(request: HttpRequest) -> JsonResponse:
    return views.transactional(request, Service.PAYMENT, va.payment)


@router.post(
    "/transfer-va/status",
    summary="The outcome of a past payment request",
    openapi_extra=_extra(
        _body(
            ["partnerServiceId", "customerNo", "virtualAccountNo", "paymentRequestId"],
            paymentRequestId={"type": "string"},
            inquiryRequestId={"type": "string"},
        ),
        "paymentFlagStatus and additionalInfo.receiptNumber",
    ),
)
def status(request: HttpRequest) -> JsonResponse:
    return views.transactional(request, Service.STATUS, va.status)
