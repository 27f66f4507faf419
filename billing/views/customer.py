"""A customer's bills, per connection: open bills, history, usage chart, bill detail and PDF."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.services import connections_of, visible_to
from billing.models import Bill, BillLine
from billing.pdf import render_bill_pdf
from billing.usage_chart import HEIGHT, WIDTH, usage_bars

HISTORY_MONTHS = 24


@login_required
@require_GET
def connection_bills(request: HttpRequest, account_number: str) -> HttpResponse:
    connection = get_object_or_404(connections_of(request.user), account_number=account_number)
    history = list(connection.bills.order_by("-period")[:HISTORY_MONTHS])
    today = timezone.localdate()
    open_bills = sorted((b for b in history if b.status == Bill.Status.OPEN), key=lambda b: b.period)
    usages = {b.period: (b.usage, b.estimated) for b in history}
    last_period = history[0].period if history else today.replace(day=1)
    context = {
        "connection": connection,
        "open_bills": open_bills,
        "amount_due": sum(b.total for b in open_bills),
        "history": history,
        "bars": usage_bars(usages, last_period),
        "chart_width": WIDTH,
        "chart_height": HEIGHT,
        "today": today,
    }
    return render(request, "billing/connection.html", context)


def _visible_bill(request: HttpRequest, pk: int) -> Bill:
    """The holder's bill, or any bill for staff who may view bills; a 404 for everyone else."""
    bills = Bill.objects.select_related("connection__customer", "connection__customer_class", "connection__area")
    bills = bills.prefetch_related(Prefetch("lines", queryset=BillLine.objects.order_by("position", "pk")))
    return get_object_or_404(visible_to(request.user, bills, perm="billing.view_bill"), pk=pk)


@login_required
@require_GET
def bill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bill = _visible_bill(request, pk)
    return render(request, "billing/bill.html", {"bill": bill, "today": timezone.localdate()})


@login_required
@require_GET
def bill_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    bill = _visible_bill(request, pk)
    filename, content, mimetype = render_bill_pdf(bill)
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
