from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from accounts.models import ServiceConnection
from accounts.permissions import staff_required
from accounts.search import LIMIT, search_connections
from billing.services import with_amount_due
from portal.staff.export import csv_response
from portal.staff.forms import SearchForm

EXPORT_LIMIT = 500


def results_queryset() -> QuerySet[ServiceConnection]:
    """Each result carries its arrears, so that two people of the same name are told apart at a glance."""
    return with_amount_due(ServiceConnection.objects.all())


def _search(request: HttpRequest, limit: int):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return form, query, search_connections(query, limit=limit, queryset=results_queryset())


@require_GET
@vary_on_headers("HX-Request")
@staff_required(perm="accounts.lookup_connection")
def search(request: HttpRequest) -> HttpResponse:
    form, query, hits = _search(request, LIMIT)
    context = {"form": form, "query": query, "hits": hits}
    # A history restore wants the whole page back, not the results alone.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "staff/search.html#results", context)
    return render(request, "staff/search.html", context)


@require_GET
@staff_required(perm="accounts.export_csv")
def search_csv(request: HttpRequest) -> HttpResponse:
    _form, _query, hits = _search(request, EXPORT_LIMIT)
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
        for hit in hits
    )
    return csv_response(f"search-{timezone.localdate():%Y%m%d}.csv", header, rows)
