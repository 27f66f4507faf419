"""Billing staff's side of the self readings: the review queue (photo beside the reading history, accept or
reject with a reason) and the list of connections the field readers still have to read, per area."""

import csv
from collections.abc import Iterable, Iterator

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import staff_required
from billing import self_readings
from billing.periods import add_months, parse_period
from billing.self_reading_forms import FieldListForm, RejectForm
from billing.self_readings import SelfReadingRefused

QUEUE_SIZE = 30
REVIEW = "billing.change_selfreading"
FIELD_LIST_HEADER = ("account_number", "meter_number", "customer", "address", "last_reading")


@staff_required(perm=REVIEW)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    items = list(self_readings.review_queue(QUEUE_SIZE))
    for item in items:
        item.recent = [r for r in item.connection.history if r.period < item.period][: self_readings.HISTORY_MONTHS]
    today = timezone.localdate()
    period = self_readings.window_period(today) or add_months(today.replace(day=1), 1)
    context = {"items": items, "reject_form": RejectForm(), "field_form": FieldListForm(), "period": period}
    return render(request, "billing/self_reading_queue.html", context)


@staff_required(perm=REVIEW)
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = self_readings.accept(pk, request.user)
    except SelfReadingRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The stand of %(number)s was accepted.") % {"number": item.connection})
    return redirect("billing:self-reading-queue")


@staff_required(perm=REVIEW)
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    form = RejectForm(request.POST)
    try:
        item = self_readings.reject(pk, request.user, form.data.get("reason", ""))
    except SelfReadingRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The stand of %(number)s was rejected.") % {"number": item.connection})
    return redirect("billing:self-reading-queue")


class _Echo:
    """csv.writer writes into this and gets the line back, so rows stream without a buffer."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable[tuple]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(FIELD_LIST_HEADER)
    for row in rows:
        yield writer.writerow(row)


@staff_required(perm="billing.view_meterreading")
@require_GET
def field_list(request: HttpRequest) -> HttpResponse:
    """CSV of an area's connections still to be read this period, streamed as it is read from the database."""
    form = FieldListForm(request.GET)
    try:
        period = parse_period(request.GET.get("period", ""))
    except ValueError:
        period = None
    if not form.is_valid() or period is None:
        messages.error(request, _("Choose an area and a period (YYYY-MM)."))
        return redirect("billing:self-reading-queue")
    area = form.cleaned_data["area"]
    response = StreamingHttpResponse(
        _csv_lines(self_readings.still_to_read(area, period)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="to-read-{area.code}-{period:%Y-%m}.csv"'
    return response
