from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from accounts.models import ServiceConnection
from accounts.permissions import staff_required
from accounts.search import LIMIT, Results, find
from billing.services import with_amount_due
from portal.staff.export import csv_response
from portal.staff.forms import SearchForm

EXPORT_LIMIT = 500


def results_queryset() -> QuerySet[ServiceConnection]:
    """Each result carries its arrears, so that two people of the same name are told apart at a glance."""
    return with_amount_due(ServiceConnection.objects.all())


def _search(request: HttpRequest, per_page: int) -> tuple[SearchForm, str, Results]:
    form = SearchForm(request.GET)
    # A bad page number is reported next to the results of the first page; the query itself still counts.
    form.is_valid()
    query = form.cleaned_data.get("q", "")
    page = form.cleaned_data.get("page") or 1
    return form, query, find(query, page=page, per_page=per_page, queryset=results_queryset())


@require_GET
@vary_on_headers("HX-Request")
@staff_required(perm="accounts.lookup_connection")
def search(request: HttpRequest) -> HttpResponse:
    form, query, results = _search(request, LIMIT)
    context = {"form": form, "query": query, "results": results, "hits": results.hits}
    # A history restore wants the whole page back, not the results alone.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "staff/search.html#results", context)
    return render(request, "staff/search.html", context)


@require_GET
@staff_required(perm="accounts.export_csv")
def search_csv(request: HttpRequest) -> HttpResponse:
    _form, _query, results = _search(request, EXPORT_LIMIT)
    header = [
        _("Account number"),
        _("Name"),
        _("Address"),
        _("Area"),
        _("Class"),
        _("Status"),
        _("Mobile number"),
        _("Meter number"),
        _("Arrears"),
    ]
    rows = (
        [
            hit.connection.account_number,
            hit.connection.customer.name,
            hit.connection.address,
            hit.connection.area.name,
            hit.connection.customer_class.code,
            hit.connection.get_status_display(),
            hit.connection.customer.phone,
            hit.connection.meter_number,
            hit.connection.amount_due,
        ]
        for hit in results.hits
    )
    return csv_response(f"search-{timezone.localdate():%Y%m%d}.csv", header, rows)
