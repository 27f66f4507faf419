from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import outbox
from accounts.models import Notification
from accounts.services import connections_of
from billing.nextblock import outlooks
from billing.services import with_amount_due
from complaints.services.outages import NOTICES_CACHE_SECONDS, current_notices, notices_for_areas
from complaints.services.queries import complaints_of
from portal import health


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    # The template calls current_notices only when their rendered block is not in the cache: building even the
    # unevaluated queryset on every visit was a tenth of the page's time.
    context = {"notices": current_notices, "notices_seconds": NOTICES_CACHE_SECONDS}
    return render(request, "portal/home.html", context)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    connections = list(with_amount_due(connections_of(request.user)).order_by("account_number"))
    month = outlooks(connections, timezone.localdate())
    for connection in connections:
        connection.outlook = month.get(connection.pk)
    context = {
        "connections": connections,
        "notices": notices_for_areas(sorted({c.area_id for c in connections})),
        "my_complaints": complaints_of(request.user, [c.pk for c in connections])[:10],
    }
    return render(request, "portal/dashboard.html", context)


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    """The messages we sent this person, newest first, so they can find a receipt or a notice again."""
    sent = Notification.objects.filter(user=request.user).order_by("-created_at")[:50]
    return render(request, "portal/notifications.html", {"messages_sent": [(n, _subject(n)) for n in sent]})


def _subject(notification: Notification) -> str:
    try:
        return outbox.subject(notification)
    except TemplateDoesNotExist:  # a message kind retired since it was sent
        return notification.template


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    return redirect("portal:staff-home" if request.user.is_staff else "portal:dashboard")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, states = health.health()
    return JsonResponse({"status": "ok" if healthy else "error", **states}, status=200 if healthy else 503)


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/429.html", status=429)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors beyond the minimum: the error may come from them.
    return render(request, "errors/500.html", status=500)
