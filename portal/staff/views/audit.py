from datetime import datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import AuditEntry
from accounts.permissions import staff_required
from portal.staff.export import csv_response
from portal.staff.forms import AuditFilterForm

PAGE_SIZE = 50
EXPORT_LIMIT = 10_000


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered_entries(form: AuditFilterForm) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("actor", "connection").order_by("-created_at", "-pk")
    if not form.is_valid():
        return entries.none()
    data = form.cleaned_data
    if data["actor"]:
        entries = entries.filter(Q(actor__full_name__icontains=data["actor"]) | Q(actor__email__iexact=data["actor"]))
    if data["action"]:
        entries = entries.filter(action__startswith=data["action"].strip())
    if data["account"]:
        entries = entries.filter(connection__account_number=data["account"].strip())
    if data["date_from"]:
        entries = entries.filter(created_at__gte=_day_start(data["date_from"]))
    if data["date_to"]:
        entries = entries.filter(created_at__lt=_day_start(data["date_to"]) + timedelta(days=1))
    return entries


@require_GET
@staff_required(perm="accounts.search_audit")
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    page = Paginator(filtered_entries(form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "staff/audit.html", context)


@require_GET
@staff_required(perm="accounts.export_csv")
def audit_csv(request: HttpRequest) -> HttpResponse:
    entries = filtered_entries(AuditFilterForm(request.GET))[:EXPORT_LIMIT]
    header = [_("Time"), _("Staff member"), _("Action"), _("Account number"), _("Summary"), _("Changes")]
    rows = (
        [
            timezone.localtime(entry.created_at).isoformat(timespec="seconds"),
            entry.actor.email if entry.actor else "",
            entry.action,
            entry.connection.account_number if entry.connection else "",
            entry.summary,
            "; ".join(f"{field}: {before} → {after}" for field, (before, after) in entry.changes.items()),
        ]
        for entry in entries
    )
    return csv_response(f"audit-{timezone.localdate():%Y%m%d}.csv", header, rows)
