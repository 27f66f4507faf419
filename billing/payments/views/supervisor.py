"""Supervisor actions on payments: reverse a paid payment, see credits to refund and record refunds."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import staff_required
from billing.payments import services
from billing.payments.forms import ReasonForm
from billing.payments.models import Payment


def _back_url(request: HttpRequest, payment: Payment) -> str:
    """Where the reversal was started: the cash screen (`?back=cash`), else the staff account page."""
    if request.GET.get("back") == "cash":
        return reverse("payments:counter-cash", args=[payment.connection_id])
    return reverse("portal:staff-account", args=[payment.connection.account_number])


@staff_required(perm="billing.reverse_payment")
@require_http_methods(["GET", "POST"])
def reverse_payment(request: HttpRequest, pk: int) -> HttpResponse:
    """The reason form, then the reversal (audited by the service); back to the page it was started from."""
    payment = get_object_or_404(Payment.objects.select_related("connection__customer", "receipt"), pk=pk)
    back_url = _back_url(request, payment)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reverse(payment.pk, supervisor=request.user, reason=form.cleaned_data["reason"])
        except services.PaymentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The payment was reversed; its bills are open again and its receipt is void."))
            return redirect(back_url)
    status = 400 if request.method == "POST" else 200
    context = {
        "payment": payment,
        "form": form,
        "back_url": back_url,
        "back_to_cash": request.GET.get("back") == "cash",
    }
    return render(request, "billing/payments/reverse.html", context, status=status)


@staff_required(perm="billing.reverse_payment")
@require_GET
def credits(request: HttpRequest) -> HttpResponse:
    """Money received for bills already paid another way: to be refunded, oldest first."""
    open_credits = (
        Payment.objects.filter(status=Payment.Status.CREDIT).select_related("connection__customer").order_by("paid_at")
    )
    return render(request, "billing/payments/credits.html", {"credits": open_credits, "form": ReasonForm()})


@staff_required(perm="billing.reverse_payment")
@require_http_methods(["POST"])
def mark_refunded(request: HttpRequest, pk: int) -> HttpResponse:
    payment = get_object_or_404(Payment, pk=pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise services.PaymentError(_("Write down how the money was refunded."))
        services.mark_refunded(payment.pk, supervisor=request.user, note=form.cleaned_data["reason"])
    except services.PaymentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The refund was recorded."))
    return redirect("payments:credits")
