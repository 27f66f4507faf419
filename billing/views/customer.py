"""A customer's bills, per connection: open bills, history, usage chart, bill detail and PDF."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.services import connections_of, visible_to
from billing.disputes import open_dispute_of
from billing.forms import UsageAlertsForm
from billing.models import Bill, BillLine
from billing.nextblock import outlooks
from billing.pdf import render_bill_pdf
from billing.periods import parse_period
from billing.self_readings import latest_sent, with_latest_sent
from billing.usage_alerts import alerts_of, set_alerts
from billing.usage_chart import HEIGHT, WIDTH, recent_usage, usage_bars

HISTORY_PAGE = 12
UNPAID = (Bill.Status.OPEN, Bill.Status.DISPUTED)
CHART_MONTHS = 12


def _history_page(connection, before: date | None) -> tuple[list[Bill], date | None, list[Bill] | None]:
    """One page of bills, newest first, older than `before` (the newest when None), the period to ask for next
    (None on the last page) and, on the first page, the unpaid bills (open or held, oldest first; None otherwise).
    Keyed on the period, not an offset: one indexed query per page; the first page reads the unpaid bills in the
    same query (the page's rows plus any older unpaid ones)."""
    # Live bills only; a replaced one is reached from its replacement (the join finds it without a query per row).
    bills = connection.bills.exclude(status=Bill.Status.VOID).select_related("replaces").order_by("-period")
    if before is not None:
        page = list(bills.filter(period__lt=before)[: HISTORY_PAGE + 1])
        unpaid = None
    else:
        latest = connection.bills.exclude(status=Bill.Status.VOID).order_by("-period").values("pk")[: HISTORY_PAGE + 1]
        rows = list(bills.filter(Q(status__in=UNPAID) | Q(pk__in=latest)))
        unpaid = [bill for bill in reversed(rows) if bill.status in UNPAID]
        page = rows[: HISTORY_PAGE + 1]
    more = len(page) > HISTORY_PAGE
    page = page[:HISTORY_PAGE]
    return page, (page[-1].period if more else None), unpaid


def _before(request: HttpRequest) -> date | None:
    """The `before=YYYY-MM` of an "older bills" link; anything garbled shows the newest bills."""
    try:
        return parse_period(request.GET.get("before", ""))
    except ValueError:
        return None


@login_required
@require_GET
def connection_bills(request: HttpRequest, account_number: str) -> HttpResponse:
    connection = get_object_or_404(
        with_latest_sent(connections_of(request.user).select_related("paperless", "credit_balance")),
        account_number=account_number,
    )
    before = _before(request)
    history, next_before, open_bills = _history_page(connection, before)
    today = timezone.localdate()
    context = {"connection": connection, "history": history, "next_before": next_before, "today": today}
    if request.htmx and before is not None:
        return render(request, "billing/connection.html#history-rows", context)
    if open_bills is None:
        open_bills = list(connection.bills.filter(status__in=UNPAID).order_by("period"))
    if before is None and CHART_MONTHS <= HISTORY_PAGE:  # the chart's months are the history's first (live) rows
        recent = [(bill.period, bill.usage, bill.estimated) for bill in history[:CHART_MONTHS]]
    else:
        recent = recent_usage(connection.pk, CHART_MONTHS)
    last_period = recent[0][0] if recent else today.replace(day=1)
    context |= {
        "paged": before is not None,
        "paperless": hasattr(connection, "paperless"),  # selected with the connection: no query
        "open_bills": open_bills,
        "amount_due": sum(b.total for b in open_bills if b.status == Bill.Status.OPEN),
        # Selected with the connection: no query.
        "credit_balance": connection.credit_balance.balance if hasattr(connection, "credit_balance") else 0,
        "outlook": outlooks([connection], today).get(connection.pk),
        "self_reading": latest_sent(connection),
        "alerts_form": UsageAlertsForm(initial=alerts_of(request.user, connection)),
        "bars": usage_bars({period: (usage, estimated) for period, usage, estimated in recent}, last_period),
        "chart_width": WIDTH,
        "chart_height": HEIGHT,
    }
    return render(request, "billing/connection.html", context)


@login_required
@require_POST
def usage_alerts(request: HttpRequest, account_number: str) -> HttpResponse:
    """Turn the usage alerts of one of the customer's connections on or off."""
    connection = get_object_or_404(connections_of(request.user), account_number=account_number)
    form = UsageAlertsForm(request.POST)
    form.is_valid()  # two optional check boxes: anything sent reads as on or off
    set_alerts(request.user, connection, block=form.cleaned_data["block"], leak=form.cleaned_data["leak"])
    messages.success(request, _("Your usage alerts were saved."))
    return redirect(reverse("billing:connection", args=[account_number]) + "#alerts")


def _visible_bill(request: HttpRequest, pk: int) -> Bill:
    """The holder's bill, or any bill for staff who may view bills; a 404 for everyone else."""
    bills = Bill.objects.select_related(
        "connection__customer", "connection__customer_class", "connection__area", "replaced_by", "replaces"
    )
    bills = bills.prefetch_related(Prefetch("lines", queryset=BillLine.objects.order_by("position", "pk")))
    return get_object_or_404(visible_to(request.user, bills, perm="billing.view_bill"), pk=pk)


@login_required
@require_GET
def bill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bill = _visible_bill(request, pk)
    context = {"bill": bill, "today": timezone.localdate(), "dispute": open_dispute_of(bill)}
    return render(request, "billing/bill.html", context)


@login_required
@require_GET
def bill_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    bill = _visible_bill(request, pk)
    filename, content, mimetype = render_bill_pdf(bill)
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
