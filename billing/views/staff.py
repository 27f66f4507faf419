"""Billing staff pages: uploading a month of meter readings and following its import."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import staff_required
from billing.forms import ReadingsUploadForm
from billing.models import ReadingsImport
from billing.readings_import import start_import


@staff_required(perm="billing.add_meterreading")
@require_http_methods(["GET", "POST"])
def import_readings(request: HttpRequest) -> HttpResponse:
    form = ReadingsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        started = start_import(request.user, upload.name, upload.read())
        return redirect("billing:readings-import", started.pk)
    return render(request, "billing/import_readings.html", {"form": form})


@staff_required(perm="billing.add_meterreading")
@require_GET
def readings_import(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of an import, then its result; htmx polls the progress part while the worker runs."""
    upload = get_object_or_404(ReadingsImport.objects.defer("data"), pk=pk)
    template = "billing/import_status.html#progress" if request.htmx else "billing/import_status.html"
    return render(request, template, {"upload": upload, "result": upload.result, "errors": upload.errors})
