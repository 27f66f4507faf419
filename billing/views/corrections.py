"""Billing staff answer questioned bills: the open questions, one question's page (the bill, its readings and a
year of usage, with the two answers: confirm, or correct the reading with a preview of the replacement), and the
supervisor's refund of a connection's credit."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import ServiceConnection
from accounts.permissions import staff_required
from billing import credit
from billing.corrections import CorrectionError, confirm_bill, correct_reading, preview
from billing.forms import ConfirmBillForm, CorrectReadingForm, RefundCreditForm
from billing.models import BillDispute, BillLine, MeterReading
from billing.usage_chart import HEIGHT, WIDTH, recent_usage, usage_bars

OPEN_LIMIT = 200
READINGS = 13


@staff_required(perm="billing.change_billdispute")
@require_GET
def dispute_list(request: HttpRequest) -> HttpResponse:
    """Questions still waiting for an answer, oldest first (read from the partial index on open questions)."""
    disputes = list(
        BillDispute.objects.filter(resolved_at__isnull=True)
        .select_related("bill__connection__customer")
        .order_by("opened_at")[:OPEN_LIMIT]
    )
    return render(request, "billing/disputes.html", {"disputes": disputes, "today": timezone.localdate()})


def _context(dispute: BillDispute) -> dict:
    bill = dispute.bill
    connection = bill.connection
    recent = recent_usage(connection.pk)
    last_period = recent[0][0] if recent else bill.period
    return {
        "dispute": dispute,
        "bill": bill,
        "connection": connection,
        # With the customer's own stand where a reading came from one, so its photo sits beside the figures.
        "readings": list(
            MeterReading.objects.filter(connection=connection)
            .select_related("self_reading")
            .order_by("-period")[:READINGS]
        ),
        "bars": usage_bars({period: (usage, estimated) for period, usage, estimated in recent}, last_period),
        "chart_width": WIDTH,
        "chart_height": HEIGHT,
        "credit_balance": credit.balance_of(connection),
        "today": timezone.localdate(),
    }


@staff_required(perm="billing.change_billdispute")
@require_http_methods(["GET", "POST"])
def dispute_staff(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the question; POST `action` = confirm, preview (nothing saved) or correct."""
    dispute = get_object_or_404(
        BillDispute.objects.select_related(
            "bill__connection__customer", "bill__connection__customer_class", "bill__replaced_by", "resolved_by"
        ).prefetch_related(Prefetch("bill__lines", queryset=BillLine.objects.order_by("position", "pk"))),
        pk=pk,
    )
    action = request.POST.get("action") if request.method == "POST" else None
    confirm_form = ConfirmBillForm(request.POST if action == "confirm" else None, prefix="confirm")
    correct_form = CorrectReadingForm(request.POST if action in ("preview", "correct") else None, prefix="correct")
    shown, status = None, 200
    try:
        if action == "confirm" and confirm_form.is_valid():
            confirm_bill(dispute.pk, confirm_form.cleaned_data["explanation"], request.user)
            messages.success(request, _("The bill is confirmed and the customer is told."))
            return redirect("billing:dispute_staff", dispute.pk)
        if action == "preview" and correct_form.is_valid():
            shown = preview(dispute, correct_form.cleaned_data["reading"])
        if action == "correct" and correct_form.is_valid():
            data = correct_form.cleaned_data
            correct_reading(dispute.pk, data["reading"], data["explanation"], request.user)
            messages.success(request, _("The bill is replaced by a corrected bill and the customer is told."))
            return redirect("billing:dispute_staff", dispute.pk)
    except CorrectionError as error:
        (confirm_form if action == "confirm" else correct_form).add_error(None, str(error))
    if action and (confirm_form.errors or correct_form.errors):
        status = 400
    context = _context(dispute) | {"confirm_form": confirm_form, "correct_form": correct_form, "preview": shown}
    return render(request, "billing/dispute_staff.html", context, status=status)


@staff_required(perm="billing.refund_credit")
@require_POST
def refund_credit(request: HttpRequest, account_number: str) -> HttpResponse:
    """A supervisor records money of the connection's credit paid back to the customer."""
    connection = get_object_or_404(ServiceConnection, account_number=account_number)
    form = RefundCreditForm(request.POST)
    if form.is_valid():
        try:
            credit.refund(
                connection, form.cleaned_data["amount"], supervisor=request.user, note=form.cleaned_data["note"]
            )
        except credit.CreditError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The refund is recorded."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("portal:staff-account", account_number=connection.account_number)
