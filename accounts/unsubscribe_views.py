from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts import email_layout


# Mail clients send the one-click POST (RFC 8058) without a session or CSRF token; the signed token is the proof.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks first (link scanners open every link); POST, from the page or a mail client, unsubscribes."""
    notification = email_layout.notification_for(token)
    if notification is None or notification.template in email_layout.ESSENTIAL:
        raise Http404
    done = request.method == "POST"
    if done:
        email_layout.unsubscribe(notification)
    return render(request, "accounts/unsubscribe.html", {"done": done, "address": notification.to_address})
