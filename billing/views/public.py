"""Public billing pages: check a bill by account number (cek tagihan) and estimate a bill."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from accounts.models import ServiceConnection
from billing.forms import EstimateForm, LookupForm
from billing.models import Bill
from billing.services import mask_name, street_only, unpaid_bills
from billing.tariffs import compute_lines, tariffs_in_force, total_of


def _lookup_rate(group: str, request: HttpRequest) -> str:
    return settings.BILL_LOOKUP_RATE


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_lookup_rate, method="POST", block=False)
def lookup(request: HttpRequest) -> HttpResponse:
    """Unpaid bills of an account number, with the holder masked; POST only, rate-limited per client."""
    form = LookupForm(request.POST or None)
    context: dict = {"form": form}
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            context["limited"] = True
            status = 429
        elif form.is_valid():
            number = form.cleaned_data["account_number"]
            connection = (
                ServiceConnection.objects.select_related("customer")
                .exclude(status=ServiceConnection.Status.CLOSED)
                .filter(account_number=number)
                .first()
            )
            if connection is None:
                context["unknown"] = number
            else:
                unpaid = list(unpaid_bills(connection))
                bills = [bill for bill in unpaid if bill.status == Bill.Status.OPEN]
                context.update(
                    result=True,
                    account_number=connection.account_number,
                    holder=mask_name(connection.customer.name),
                    street=street_only(connection.address),
                    bills=bills,
                    held=[bill for bill in unpaid if bill.status == Bill.Status.DISPUTED],
                    total=sum(bill.total for bill in bills),
                    today=timezone.localdate(),
                )
    template = "billing/lookup.html#result" if request.htmx and request.method == "POST" else "billing/lookup.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET"])
def estimate(request: HttpRequest) -> HttpResponse:
    """What the tariff in force would charge for a month's usage, block by block."""
    # A link may prefill the class and meter size alone (from a connection page): a form to complete, not errors.
    prefilled = "usage" not in request.GET
    form = EstimateForm(None if prefilled else request.GET, initial=request.GET.dict() if prefilled else None)
    context: dict = {"form": form}
    if form.is_valid():
        terms = tariffs_in_force(timezone.localdate()).get(form.cleaned_data["customer_class"].pk)
        if terms is not None:
            lines = compute_lines(form.cleaned_data["usage"], terms, form.cleaned_data["meter_size"])
            context.update(lines=lines, total=total_of(lines), terms=terms)
    template = "billing/estimate.html#result" if request.htmx else "billing/estimate.html"
    return render(request, template, context)
