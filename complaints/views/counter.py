"""The counter files a complaint on a customer's behalf, with the same form and rules as a public report."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import ServiceConnection
from accounts.permissions import staff_required
from complaints.forms import ReportForm
from complaints.services.filing import file_complaint


@require_http_methods(["GET", "POST"])
@staff_required(perm="complaints.add_complaint")
def file_for_customer(request: HttpRequest, account_number: str) -> HttpResponse:
    """The ticket is tied to the connection and records who filed it (the complaints service audits it)."""
    connection = get_object_or_404(ServiceConnection.objects.select_related("customer"), account_number=account_number)
    form = ReportForm(request.POST or None, request.FILES or None, user=request.user, for_connection=connection)
    if request.method == "POST" and form.is_valid():
        complaint = file_complaint(form.report(), form.cleaned_data["photos"], filed_by=request.user)
        messages.success(request, _("Complaint %(ticket)s is filed.") % {"ticket": complaint.ticket})
        return redirect("portal:staff-account", account_number=connection.account_number)
    context = {"connection": connection, "customer": connection.customer, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "complaints/staff/file_for_customer.html", context, status=status)
