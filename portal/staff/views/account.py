from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import casework
from accounts.permissions import staff_required
from accounts.phones import display_phone
from portal.staff.forms import ContactForm, NoteForm
from portal.staff.overview import account_overview, get_connection


def _render_account(request: HttpRequest, connection, *, note_form=None, status=200) -> HttpResponse:
    context = account_overview(connection)
    context["note_form"] = note_form or NoteForm()
    return render(request, "staff/account.html", context, status=status)


@require_GET
@staff_required(perm="accounts.lookup_connection")
def account(request: HttpRequest, account_number: str) -> HttpResponse:
    connection = get_connection(account_number)
    casework.record_view(request.user, connection)
    return _render_account(request, connection)


@require_http_methods(["GET", "POST"])
@staff_required(perm="accounts.update_contact")
def contact(request: HttpRequest, account_number: str) -> HttpResponse:
    connection = get_connection(account_number)
    customer = connection.customer
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            changes = casework.update_contact_details(request.user, connection, **form.cleaned_data)
            if changes:
                messages.success(request, _("The contact details are saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("portal:staff-account", account_number=connection.account_number)
    else:
        form = ContactForm(
            initial={"phone": display_phone(customer.phone), "email": customer.email, "address": customer.address}
        )
    return render(request, "staff/contact.html", {"connection": connection, "customer": customer, "form": form})


@require_POST
@staff_required(perm="accounts.add_staffnote")
def add_note(request: HttpRequest, account_number: str) -> HttpResponse:
    connection = get_connection(account_number)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _render_account(request, connection, note_form=form, status=400)
    casework.add_note(request.user, connection, form.cleaned_data["text"])
    messages.success(request, _("The note is added."))
    return redirect("portal:staff-account", account_number=connection.account_number)
