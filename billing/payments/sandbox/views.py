"""The sandbox gateway's hosted checkout page: choose a method, then pay, fail or let it expire."""

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.formatting import rupiah
from billing.payments.methods import method_label
from billing.payments.sandbox import gateway as sandbox
from billing.payments.sandbox.provider import TOKEN_SALT
from billing.payments.sandbox.tasks import sandbox_notify


@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest, token: str) -> HttpResponse:
    if not settings.PAYMENT_SANDBOX_ENABLED:
        raise Http404
    try:
        order = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        raise Http404 from None
    amount = int(order["gross_amount"].split(".")[0])
    if request.method == "POST":
        action = request.POST.get("action")
        method = request.POST.get("method", "bank_transfer")
        if action in sandbox.ACTIONS and method in sandbox.METHODS:
            body = sandbox.notification_body(order["order_id"], order["gross_amount"], action, method)
            sandbox_notify.delay(body, request.build_absolute_uri(reverse("payments:notify")))
            # Like Midtrans, the browser comes back with the outcome in the query; our page ignores it.
            query = urlencode({"order_id": order["order_id"], "transaction_status": body["transaction_status"]})
            return redirect(f"{order['finish']}?{query}")
    context = {
        "order": order,
        "amount": rupiah(amount),
        "methods": [(code, method_label(code)) for code in sandbox.METHODS],
    }
    return render(request, "billing/payments/sandbox_checkout.html", context)
