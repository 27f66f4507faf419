from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


class RejectNulBytesMiddleware:
    """Answer 400 to a request with a NUL byte in its path, query or form fields.

    No person types one; Postgres refuses them in text and would turn a probe into a 500, so they are stopped
    here once instead of in every view that reads a parameter.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            raise BadRequest("NUL byte in request")
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data)


# Browser features no page uses are switched off, so an injected script cannot ask for them either.
PERMISSIONS_POLICY_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")
# Views whose page needs a feature for the person's own benefit: the report form offers "use my location".
PERMISSIONS_POLICY_GRANTS = {"complaints:new": {"geolocation"}}


class PermissionsPolicyMiddleware:
    """Send a Permissions-Policy on every response: every feature off, but those granted to the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        granted = PERMISSIONS_POLICY_GRANTS.get(match.view_name, set()) if match else set()
        response.headers.setdefault(
            "Permissions-Policy",
            ", ".join(
                f"{feature}=(self)" if feature in granted else f"{feature}=()"
                for feature in PERMISSIONS_POLICY_FEATURES
            ),
        )
        return response
