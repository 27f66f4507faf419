from collections.abc import Callable
from functools import wraps
from typing import Any

from anymail import urls as anymail_urls
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.urls import URLPattern, path

from accounts.providers import sms_webhook, whatsapp_webhook

app_name = "webhooks"

urlpatterns = [
    path("whatsapp/", whatsapp_webhook.whatsapp_webhook, name="whatsapp"),
    path("sms/<str:token>/reports/", sms_webhook.reports, name="sms-reports"),
    path("sms/<str:token>/inbound/", sms_webhook.inbound, name="sms-inbound"),
]


def _secret_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anymail only warns when ANYMAIL_WEBHOOK_SECRET is missing and then accepts anyone's events: fail closed."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
            return HttpResponseForbidden()
        return view(request, *args, **kwargs)

    return guarded


# Included as "anymail" under webhooks/anymail/ (portal/urls.py): the providers' tracking and inbound webhooks.
anymail_patterns = [
    URLPattern(pattern.pattern, _secret_required(pattern.callback), pattern.default_args, pattern.name)
    for pattern in anymail_urls.urlpatterns
    if isinstance(pattern, URLPattern)
]
