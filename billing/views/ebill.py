"""The e-bill: its signed link (no sign-in), a customer going paperless, and staff sending a bill on demand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import ServiceConnection
from accounts.permissions import staff_required
from accounts.services import connections_of
from billing import ebill
from billing.services import latest_bill


@require_GET
def open_ebill(request: HttpRequest, token: str) -> HttpResponse:
    bill = ebill.bill_for_token(token)
    if bill is None:
        raise Http404
    filename, content = ebill.ebill_pdf(bill)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_POST
def paperless(request: HttpRequest, account_number: str) -> HttpResponse:
    connection = get_object_or_404(connections_of(request.user), account_number=account_number)
    if request.POST.get("paperless") == "on":
        ebill.go_paperless(connection, request.user)
        messages.success(request, _("Your bills for this connection now come as e-bills, not on paper."))
    else:
        ebill.back_to_paper(connection)
        messages.success(request, _("Your bills for this connection come on paper again."))
    return redirect("billing:connection", account_number=connection.account_number)


@require_POST
@staff_required(perm="billing.view_bill")
def send_now(request: HttpRequest, account_number: str) -> HttpResponse:
    connection = get_object_or_404(ServiceConnection, account_number=account_number)
    bill = latest_bill(connection)
    if bill is None:
        messages.error(request, _("This connection has no bill to send."))
    elif ebill.send_ebill(bill, request.user):
        messages.success(request, _("The latest bill is on its way as an e-bill."))
    else:
        messages.info(request, _("This bill was sent as an e-bill already, or nobody can be reached."))
    return redirect("portal:staff-account", account_number=connection.account_number)
