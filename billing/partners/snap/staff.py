"""Supervisors: a partner's SNAP payments of one business date, compared with the partner's settlement file."""

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import staff_required
from billing.partners.snap import reconcile
from billing.partners.snap.forms import SettlementDayForm

MAX_FILE_BYTES = 5 * 1024 * 1024


@staff_required(perm="billing.reverse_payment")
@require_http_methods(["GET", "POST"])
def settlement(request: HttpRequest) -> HttpResponse:
    """GET: the day's payments of a partner. POST with a file: what is missing on either side, what differs."""
    form = SettlementDayForm(request.POST or request.GET or None, request.FILES or None)
    context: dict = {"form": form}
    status = 200
    if form.is_bound and form.is_valid():
        partner, day = form.cleaned_data["partner"], form.cleaned_data["business_date"]
        context.update(partner=partner, day=day, payments=reconcile.payments_of_day(partner, day))
        upload = form.cleaned_data["settlement_file"]
        if upload is not None:
            try:
                if upload.size > MAX_FILE_BYTES:
                    raise reconcile.SettlementFileError(_("The file is too large."))
                file_day, lines = reconcile.read_settlement_file(upload.read().decode("utf-8"))
                if file_day != day:
                    raise reconcile.SettlementFileError(_("The file is for another business date."))
            except (reconcile.SettlementFileError, UnicodeDecodeError) as error:
                form.add_error("settlement_file", str(error) if isinstance(error, ValueError) else _("Not a CSV file."))
                status = 400
            else:
                context["result"] = reconcile.reconcile(partner, day, lines)
    elif form.is_bound:
        status = 400
    return render(request, "billing/partners/settlement.html", context, status=status)


@staff_required(perm="billing.reverse_payment")
@require_GET
def settlement_csv(request: HttpRequest) -> HttpResponse:
    """The day's payments of a partner as CSV, in the settlement file's columns plus the receipt number."""
    form = SettlementDayForm(request.GET)
    if not form.is_valid():
        return render(request, "billing/partners/settlement.html", {"form": form}, status=400)
    partner, day = form.cleaned_data["partner"], form.cleaned_data["business_date"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="snap-{partner.partner_id}-{day:%Y%m%d}.csv"'
    writer = csv.writer(response)
    writer.writerow([*reconcile.COLUMNS, "receipt_number"])
    for line in reconcile.payments_of_day(partner, day):
        writer.writerow(
            [day.isoformat(), line.payment_request_id, line.customer_no, f"{line.amount}.00", line.receipt_number]
        )
    return response
