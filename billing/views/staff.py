"""Billing staff pages: uploading a month of meter readings."""

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts import audit
from accounts.permissions import staff_required
from billing.forms import ReadingsUploadForm
from billing.readings import parse_csv, record_readings


@staff_required(perm="billing.add_meterreading")
@require_http_methods(["GET", "POST"])
def import_readings(request: HttpRequest) -> HttpResponse:
    form = ReadingsUploadForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        inputs, errors = parse_csv(upload.read())
        with transaction.atomic():
            result = record_readings(inputs)
            audit.record(
                request.user,
                "billing.import_readings",
                summary=f"{upload.name}: {result.imported} imported, {len(errors) + len(result.errors)} refused",
                changes={"created": (None, result.created), "updated": (None, result.updated)},
            )
        context.update(result=result, errors=sorted(errors + result.errors), filename=upload.name)
    return render(request, "billing/import_readings.html", context)
