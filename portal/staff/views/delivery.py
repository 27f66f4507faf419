"""What was sent: resending a message from the account page, and the supervisor's delivery of the day."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import sent
from accounts.models import Notification
from accounts.permissions import staff_required
from portal.staff.overview import get_connection


@require_POST
@staff_required(perm="accounts.resend_notification")
def resend(request: HttpRequest, account_number: str, pk: int) -> HttpResponse:
    connection = get_connection(account_number)
    notification = get_object_or_404(Notification.objects.filter(sent.messages_of(connection)).distinct(), pk=pk)
    sent.resend(notification, connection, request.user)
    messages.success(request, _("The message is sent again."))
    return redirect("portal:staff-account", account_number=connection.account_number)


@require_GET
@staff_required(perm="accounts.view_delivery_report")
def delivery(request: HttpRequest) -> HttpResponse:
    channels, failures = sent.delivery_today()
    statuses = Notification.Status.choices
    rows = [(day, [day.counts.get(value, 0) for value, _label in statuses]) for day in channels]
    context = {"rows": rows, "statuses": statuses, "failures": failures, "day": sent.start_of_today()}
    return render(request, "staff/delivery.html", context)
