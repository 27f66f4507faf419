from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import staff_required
from accounts.phones import display_phone
from complaints.services.filing import Report, file_complaint
from portal.staff.forms import ComplaintForm
from portal.staff.overview import get_connection


@require_http_methods(["GET", "POST"])
@staff_required(perm="complaints.add_complaint")
def file_for_customer(request: HttpRequest, account_number: str) -> HttpResponse:
    """File a complaint on the customer's behalf: the ticket is tied to the connection and records who filed it
    (the complaints service audits it)."""
    connection = get_connection(account_number)
    customer = connection.customer
    form = ComplaintForm(
        request.POST or None,
        initial={
            "reporter_name": customer.name,
            "reporter_phone": display_phone(customer.phone),
            "reporter_email": customer.email,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report = Report(
            category=data["category"],
            description=data["description"],
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            reporter_email=data["reporter_email"],
            connection=connection,
            address=connection.address,
        )
        complaint = file_complaint(report, filed_by=request.user)
        messages.success(request, _("Complaint %(ticket)s is filed.") % {"ticket": complaint.ticket})
        return redirect("portal:staff-account", account_number=connection.account_number)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "complaints/staff/file_for_customer.html",
        {"connection": connection, "customer": customer, "form": form},
        status=status,
    )
