"""The payer's pages: start a payment, wait for its confirmation, download receipts."""

import io
import time
import zipfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from accounts.models import ServiceConnection
from accounts.services import connections_of, visible_to
from billing.payments import receipts, services, tokens
from billing.payments.forms import PublicPayForm
from billing.payments.models import Payment, Receipt

MAX_ARCHIVE = 120  # ten years of monthly payments
STATUS_WAIT_SECONDS = 60  # how long the status page polls before it stops and offers to check again


def _pay_rate(group: str, request: HttpRequest) -> str:
    return settings.BILL_LOOKUP_RATE  # paying from the lookup is limited like looking up


def _finish_url(request: HttpRequest):
    return lambda payment: request.build_absolute_uri(reverse("payments:status", args=[tokens.status_token(payment)]))


def _start(request: HttpRequest, connection: ServiceConnection, failure_url: str, **payer) -> HttpResponse:
    try:
        payment = services.start_online_payment(connection, finish_url=_finish_url(request), **payer)
    except services.PaymentError as error:
        messages.error(request, str(error))
        return redirect(failure_url)
    return redirect(payment.checkout_url)


@login_required
@require_POST
def pay(request: HttpRequest, account_number: str) -> HttpResponse:
    """Pay all arrears of one of the customer's connections, oldest first."""
    connection = get_object_or_404(connections_of(request.user), account_number=account_number)
    failure_url = reverse("billing:connection", args=[connection.account_number])
    return _start(request, connection, failure_url, payer=request.user)


@require_POST
@ratelimit(key="ip", rate=_pay_rate, method="POST", block=False)
def pay_public(request: HttpRequest) -> HttpResponse:
    """Pay from the public lookup, without an account: the receipt goes to the e-mail given (if any)."""
    form = PublicPayForm(request.POST)
    if getattr(request, "limited", False):
        messages.error(request, _("Too many checks from your connection. Please wait a minute and try again."))
        return redirect("billing:lookup")
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect("billing:lookup")
    connection = (
        ServiceConnection.objects.select_related("customer")
        .exclude(status=ServiceConnection.Status.CLOSED)
        .filter(account_number=form.cleaned_data["account_number"])
        .first()
    )
    if connection is None:
        raise Http404
    return _start(request, connection, reverse("billing:lookup"), payer_email=form.cleaned_data["email"])


def _payment_of_token(token: str) -> Payment:
    order_id = tokens.status_order_id(token)
    if order_id is None:
        raise Http404
    return get_object_or_404(Payment.objects.select_related("connection", "receipt"), order_id=order_id)


def _waiting_since(request: HttpRequest, now: int) -> int:
    """When this page started waiting (the `since` its polls carry), in epoch seconds; now for a fresh page."""
    try:
        since = int(request.GET.get("since", ""))
    except ValueError:
        return now
    return since if 0 < since <= now else now


@require_GET
def status(request: HttpRequest, token: str) -> HttpResponse:
    """Never trusts the gateway's redirect: shows what our notifications recorded, polling while pending for
    STATUS_WAIT_SECONDS, then saying so and offering to check again (which waits another while)."""
    payment = _payment_of_token(token)
    receipt = getattr(payment, "receipt", None)
    now = int(time.time())
    since = _waiting_since(request, now)
    context = {
        "payment": payment,
        "receipt": receipt,
        "token": token,
        "Status": Payment.Status,
        "since": since,
        "stopped_waiting": payment.status == Payment.Status.PENDING and now - since >= STATUS_WAIT_SECONDS,
    }
    template = "billing/payments/status.html#status" if request.htmx else "billing/payments/status.html"
    return render(request, template, context)


def _pdf_response(receipt: Receipt, layout: str = receipts.A4, *, masked: bool = False) -> HttpResponse:
    pdf = receipts.render_receipt_pdf(receipt, layout, masked=masked)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipts.filename(receipt)}"'
    return response


@require_GET
def status_receipt_pdf(request: HttpRequest, token: str) -> HttpResponse:
    payment = _payment_of_token(token)
    receipt = get_object_or_404(receipts.receipts_with_details(), payment=payment)
    # A guest paid from the public lookup, which shows no more than the masked receipt.
    return _pdf_response(receipt, masked=payment.payer_id is None)


@login_required
@require_GET
def receipt_list(request: HttpRequest) -> HttpResponse:
    """Every receipt of the customer's connections, newest first."""
    mine = (
        Receipt.objects.filter(payment__connection__in=connections_of(request.user).values("pk"))
        .select_related("payment__connection")
        .order_by("-issued_at")
    )
    return render(request, "billing/payments/receipt_list.html", {"receipts": mine})


@login_required
@require_GET
def receipt_archive(request: HttpRequest) -> HttpResponse:
    """Every receipt of the customer's connections as PDFs in one ZIP file (the newest MAX_ARCHIVE)."""
    mine = receipts.receipts_with_details().filter(payment__connection__in=connections_of(request.user).values("pk"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        for receipt in mine.order_by("-issued_at")[:MAX_ARCHIVE]:
            archive.writestr(receipts.filename(receipt), receipts.render_receipt_pdf(receipt))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="kuitansi.zip"'
    return response


def visible_receipt(request: HttpRequest, pk: int) -> Receipt:
    """The holder's receipt, or any receipt for staff allowed to see receipts; a 404 for everyone else."""
    found = receipts.receipts_with_details()
    visible = visible_to(request.user, found, perm="billing.view_receipt", connection_path="payment__connection")
    return get_object_or_404(visible, pk=pk)


@login_required
@require_GET
def receipt_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    layout = request.GET.get("layout", receipts.A4)
    return _pdf_response(visible_receipt(request, pk), layout if layout in receipts.LAYOUTS else receipts.A4)


@login_required
@require_GET
def receipt_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt as a page made for the printer: A4 or an 80 mm thermal roll (`?layout=thermal`)."""
    receipt = visible_receipt(request, pk)
    context = receipts.receipt_context(receipt, request.GET.get("layout", receipts.A4))
    return render(request, "billing/payments/receipt_print.html", context)
