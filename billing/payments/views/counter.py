"""The counter: take cash for a connection's open bills, send a receipt again, and the end-of-day cash report."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.formatting import rupiah
from accounts.models import ServiceConnection
from accounts.permissions import staff_required
from billing.models import Bill
from billing.payments import reports, resend, services
from billing.payments.forms import CashForm, ReportForm
from billing.payments.models import Payment, Receipt
from billing.services import unpaid_bills

RECENT_PAYMENTS = 10


def _cash_context(connection: ServiceConnection, form: CashForm | None = None) -> dict:
    unpaid = list(unpaid_bills(connection))
    bills = [bill for bill in unpaid if bill.status == Bill.Status.OPEN]
    held = [bill for bill in unpaid if bill.status == Bill.Status.DISPUTED]
    total = sum(bill.total for bill in bills)
    held_total = sum(bill.total for bill in held)
    form = form or CashForm(
        initial={
            "bill_ids": ",".join(str(b.pk) for b in bills),
            "expected_total": total,
            "held_ids": ",".join(str(b.pk) for b in held),
            "held_total": held_total,
        }
    )
    if not held:
        del form.fields["include_held"]
    recent = (
        Payment.objects.filter(connection=connection)
        .exclude(status=Payment.Status.PENDING)
        .select_related("receipt", "cashier")
        .order_by("-created_at")[:RECENT_PAYMENTS]
    )
    return {
        "connection": connection,
        "bills": bills,
        "total": total,
        "held": held,
        "held_total": held_total,
        "form": form,
        "recent": recent,
    }


@staff_required(perm="billing.take_cash")
@require_http_methods(["GET", "POST"])
def counter_cash(request: HttpRequest, connection_id: int) -> HttpResponse:
    """Step one shows the change for the cash tendered; step two (confirm) records the payment and opens the
    receipt for printing. The confirm form carries the bills and total the cashier saw, so a bill paid online
    meanwhile is refused instead of silently paid twice."""
    connection = get_object_or_404(ServiceConnection.objects.select_related("customer", "area"), pk=connection_id)
    if request.method == "GET":
        return render(request, "billing/payments/counter_cash.html", _cash_context(connection))
    form = CashForm(request.POST)
    context = _cash_context(connection, form)
    if not form.is_valid():
        return render(request, "billing/payments/counter_cash.html", context, status=400)
    data = form.cleaned_data
    if data["tendered"] < data["expected_total"]:
        form.add_error("tendered", _("The cash tendered is less than the amount due."))
        return render(request, "billing/payments/counter_cash.html", context, status=400)
    if "confirm" not in request.POST:
        context["change"] = data["tendered"] - data["expected_total"]
        context["to_pay"] = data["expected_total"]
        context["confirming"] = True
        return render(request, "billing/payments/counter_cash.html", context)
    try:
        payment = services.take_cash(
            connection,
            cashier=request.user,
            bill_ids=data["bill_ids"],
            expected_total=data["expected_total"],
            tendered=data["tendered"],
            include_held=data.get("include_held", False),
        )
    except services.PaymentError as error:
        messages.error(request, str(error))
        return redirect("payments:counter-cash", connection.pk)
    messages.success(request, _("Payment recorded. Change: %(change)s.") % {"change": rupiah(payment.change)})
    return redirect("payments:receipt-print", payment.receipt.pk)


@staff_required(perm="billing.view_cash_report")
@require_GET
def cash_report(request: HttpRequest) -> HttpResponse:
    """HTML, CSV (`?format=csv`) or PDF (`?format=pdf`). Supervisors see every cashier, a cashier their own."""
    form = ReportForm(request.GET or {"date": timezone.localdate().isoformat()})
    day = form.cleaned_data["date"] if form.is_valid() else timezone.localdate()
    everyone = request.user.has_perm("billing.reverse_payment")
    report = reports.cash_report(day, cashier=None if everyone else request.user)
    output = request.GET.get("format", "html")
    if output == "csv":
        response = HttpResponse(reports.as_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="kas-{day.isoformat()}.csv"'
        return response
    context = {"form": form, "report": report, "everyone": everyone}
    if output == "pdf":
        from weasyprint import HTML

        html = render_to_string("billing/payments/cash_report_pdf.html", context, request=request)
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="kas-{day.isoformat()}.pdf"'
        return response
    return render(request, "billing/payments/cash_report.html", context)


@require_POST
@staff_required(perm="billing.view_receipt")
def resend_receipt(request: HttpRequest, account_number: str, receipt_id: int) -> HttpResponse:
    connection = get_object_or_404(ServiceConnection, account_number=account_number)
    receipt = get_object_or_404(
        Receipt.objects.select_related("payment__connection__customer", "payment__payer"),
        pk=receipt_id,
        payment__connection=connection,
    )
    try:
        queued = resend.resend_receipt(request.user, receipt)
    except resend.ReceiptVoid:
        messages.error(request, _("This receipt is void: its payment was reversed."))
    except resend.NoContact:
        messages.error(request, _("Nothing was sent: there is no e-mail address or mobile number to send it to."))
    else:
        addresses = ", ".join(row.to_address for row in queued)
        messages.success(
            request, _("Receipt %(number)s is on its way to %(to)s.") % {"number": receipt.number, "to": addresses}
        )
    return redirect("portal:staff-account", account_number=connection.account_number)
