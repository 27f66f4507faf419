from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.permissions import staff_required
from portal.staff.export import csv_response
from portal.staff.figures import todays_figures
from portal.staff.forms import SearchForm


@require_GET
@staff_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {"form": SearchForm(), "figures": todays_figures(today, request.user), "today": today}
    return render(request, "staff/home.html", context)


@require_GET
@staff_required(perm="accounts.export_csv")
def report_csv(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = ([today.isoformat(), figure.label, figure.value] for figure in todays_figures(today, request.user))
    return csv_response(f"report-{today:%Y%m%d}.csv", [_("Date"), _("Figure"), _("Value")], rows)
