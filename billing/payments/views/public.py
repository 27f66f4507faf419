"""Public pages of payments: the gateway's notification endpoint and the receipt check behind the QR code."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from billing.payments import notifications, receipts, tokens
from billing.payments.views.customer import _pdf_response
from billing.services import mask_name


@csrf_exempt  # a server-to-server call, authenticated by its signature instead
@require_POST
@never_cache
def notify(request: HttpRequest) -> JsonResponse:
    try:
        body = request.body
    except RawPostDataException:  # a form upload whose stream middleware already consumed: not a notification
        body = b""
    answer = notifications.handle(body, request.META.get("REMOTE_ADDR"))
    return JsonResponse(
        {"status": "ok" if answer.status < 300 else "rejected", "detail": answer.detail}, status=answer.status
    )


def _receipt_of_token(token: str):
    number = tokens.receipt_number(token)
    if number is None:
        return None
    return receipts.receipts_with_details().filter(number=number).first()


@require_GET
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone holding the QR code can check a receipt: genuine, void, or not ours. Names are masked."""
    receipt = _receipt_of_token(token)
    context = {"receipt": receipt, "token": token}
    if receipt is not None:
        context["holder"] = mask_name(receipt.payment.connection.customer.name)
    return render(request, "billing/payments/verify.html", context, status=200 if receipt else 404)


@require_GET
def verify_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The receipt behind the QR code as a PDF, masked like the page: whoever holds the code sees no more."""
    receipt = _receipt_of_token(token)
    if receipt is None:
        return render(request, "billing/payments/verify.html", {"receipt": None}, status=404)
    return _pdf_response(receipt, masked=True)
