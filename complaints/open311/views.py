"""Open311 GeoReport v2 endpoints; each takes the format (json or xml) from its suffix.

The JSON variants are reached through the documented ninja router (complaints.open311.api), the XML ones through
complaints.open311.urls; both run these functions. Partners are servers: no session, no CSRF token, the api_key
identifies them, and limits count per partner and per reporter's phone rather than per client address.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited

from accounts.partners.models import Partner
from accounts.partners.services import partner_for_open311_key
from accounts.text import ascii_digits
from complaints.open311 import serialise, services
from complaints.open311.services import Open311Error

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


def _refuse(fmt: str, error: Open311Error) -> HttpResponse:
    return serialise.render(fmt, "errors", serialise.errors(error), status=error.status)


def _limited(request: HttpRequest, partner: Partner) -> bool:
    """The partner's allowance, and the reporter's phone sharing the web form's allowance for that phone."""
    by_partner = is_ratelimited(
        request,
        group="open311.file-partner",
        key=lambda group, request: f"partner:{partner.pk}",
        rate=settings.OPEN311_RATE_PER_PARTNER,
        method="POST",
        increment=True,
    )
    digits = ascii_digits(request.POST.get("phone", ""))[-9:]
    by_phone = is_ratelimited(
        request,
        group="complaints.file-phone",
        key=lambda group, request: f"phone:{digits or 'none'}",
        rate=settings.COMPLAINTS_RATE_PER_PHONE,
        method="POST",
        increment=True,
    )
    return by_partner or by_phone


def discovery(request: HttpRequest) -> HttpResponse:
    base = settings.SITE_URL + reverse("open311:services", kwargs={"fmt": "xml"}).rsplit("/", 1)[0] + "/"
    return serialise.render(
        "json",
        "discovery",
        {
            "changeset": "2026-12-01T00:00:00+08:00",
            "contact": settings.UTILITY_NAME,
            "key_service": _("Ask the utility for an api_key; it is shown once when issued."),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": base,
                    "changeset": "2026-12-01T00:00:00+08:00",
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
    )


def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return serialise.render(fmt, "services", [serialise.service(category) for category in services.services()])


def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    try:
        category = services.service(code)
    except Open311Error as error:
        return _refuse(fmt, error)
    return serialise.render(fmt, "service_definition", serialise.definition(category))


def search_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        found = services.find_requests(request.GET)
    except Open311Error as error:
        return _refuse(fmt, error)
    return serialise.render(fmt, "service_requests", [serialise.public_request(c) for c in found])


def file_request(request: HttpRequest, fmt: str) -> HttpResponse:
    partner = partner_for_open311_key(request.POST.get("api_key", ""))
    if partner is None:
        return _refuse(fmt, Open311Error(403, _("api_key: this key is not valid.")))
    if _limited(request, partner):
        return _refuse(fmt, Open311Error(429, _("Too many requests; please wait and try again later.")))
    try:
        filed = services.file_request(partner, request.POST)
    except Open311Error as error:
        return _refuse(fmt, error)
    return serialise.render(fmt, "service_requests", [serialise.filed(filed)], status=201)


@csrf_exempt
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return file_request(request, fmt)
    if request.method in ("GET", "HEAD"):
        return search_requests(request, fmt)
    response = _refuse(fmt, Open311Error(405, _("Use GET to search requests or POST to file one.")))
    response["Allow"] = "GET, POST"
    return response


def request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    try:
        complaint = services.find_request(service_request_id)
    except Open311Error as error:
        return _refuse(fmt, error)
    return serialise.render(fmt, "service_requests", [serialise.public_request(complaint)])


def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    try:
        found = services.request_for_token(token)
    except Open311Error as error:
        return _refuse(fmt, error)
    return serialise.render(fmt, "service_requests", [serialise.token(found)])
