"""Staff pages for outage and maintenance notices."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import staff_required
from complaints.models import Outage
from complaints.services import outages
from complaints.staff_forms import OutageForm

MANAGE = "complaints.manage_outage"


@staff_required(perm=MANAGE)
def outage_list(request: HttpRequest) -> HttpResponse:
    current = outages.current_notices()
    closed = Outage.objects.filter(status=Outage.Status.CLOSED).prefetch_related("areas").order_by("-closed_at")[:20]
    return render(request, "complaints/staff/outages.html", {"current": current, "closed": closed})


@staff_required(perm=MANAGE)
def outage_new(request: HttpRequest) -> HttpResponse:
    form = OutageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outage = outages.publish(request.user, form.notice())
        messages.success(
            request,
            _("Notice “%(title)s” published; customers in its areas are being notified.") % {"title": outage.title},
        )
        return redirect("complaints_staff:outages")
    return render(request, "complaints/staff/outage_form.html", {"form": form})


@staff_required(perm=MANAGE)
def outage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    outage = get_object_or_404(Outage, pk=pk, status=Outage.Status.PUBLISHED)
    form = OutageForm(request.POST) if request.method == "POST" else OutageForm.for_outage(outage)
    if request.method == "POST" and form.is_valid():
        outages.update(outage.pk, request.user, form.notice())
        messages.success(request, _("Notice updated; customers in its areas are being notified."))
        return redirect("complaints_staff:outages")
    return render(request, "complaints/staff/outage_form.html", {"form": form, "outage": outage})


@require_POST
@staff_required(perm=MANAGE)
def outage_close(request: HttpRequest, pk: int) -> HttpResponse:
    outage = get_object_or_404(Outage, pk=pk)
    outages.close(outage.pk, request.user)
    messages.success(request, _("Notice “%(title)s” closed.") % {"title": outage.title})
    return redirect("complaints_staff:outages")
