"""The JSON side of Open311 GeoReport v2 as a ninja router, so partners find it described at /api/docs/.

Each operation only declares the spec's parameters for the description and hands the request to the view shared
with the XML variant; the views read the parameters themselves (the spec's `attribute[...]` names are open-ended).
"""

from django.http import HttpRequest, HttpResponse
from ninja import Form, Router

from complaints.open311 import views

router = Router(tags=["Open311 GeoReport v2"])


@router.get("discovery.json", url_name="open311-discovery", summary="Where the endpoints are and what they speak")
def discovery(request: HttpRequest) -> HttpResponse:
    return views.discovery(request)


@router.get("services.json", url_name="open311-services", summary="The complaint categories, as services")
def service_list(request: HttpRequest) -> HttpResponse:
    return views.service_list(request, "json")


@router.get("services/{code}.json", url_name="open311-service", summary="A service's attributes (the kelurahan)")
def service_definition(request: HttpRequest, code: str) -> HttpResponse:
    return views.service_definition(request, "json", code)


@router.get("requests.json", url_name="open311-requests", summary="Search requests (public fields only)")
def search_requests(
    request: HttpRequest,
    service_request_id: str | None = None,
    service_code: str | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
    status: str | None = None,
) -> HttpResponse:
    return views.search_requests(request, "json")


@router.post("requests.json", url_name="open311-file", summary="File a request (needs api_key)")
def file_request(
    request: HttpRequest,
    api_key: Form[str | None] = None,
    service_code: Form[str | None] = None,
    description: Form[str | None] = None,
    address_string: Form[str | None] = None,
    lat: Form[str | None] = None,
    long: Form[str | None] = None,
    first_name: Form[str | None] = None,
    last_name: Form[str | None] = None,
    phone: Form[str | None] = None,
    email: Form[str | None] = None,
    media_url: Form[str | None] = None,
) -> HttpResponse:
    return views.file_request(request, "json")


@router.get("requests/{service_request_id}.json", url_name="open311-request", summary="One request by its id")
def request_detail(request: HttpRequest, service_request_id: str) -> HttpResponse:
    return views.request_detail(request, "json", service_request_id)


@router.get("tokens/{token}.json", url_name="open311-token", summary="The request id for a token")
def token_detail(request: HttpRequest, token: str) -> HttpResponse:
    return views.token_detail(request, "json", token)
