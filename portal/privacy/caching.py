from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

# Documents about one person, whoever asks for them: bills, receipts, exports.
PERSONAL_CONTENT_TYPES = ("application/pdf", "text/csv")


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on every answer to a signed-in person and on every personal document.

    A shared proxy or the browser's disk cache must not keep a bill, a receipt or an account page: on a shared
    phone or a warnet computer the next person would find them in the history or the cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or _is_personal_document(response):
            if "public" in response.get("Cache-Control", ""):
                del response["Cache-Control"]
            patch_cache_control(response, private=True, no_store=True)
        return response


def _is_personal_document(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return content_type in PERSONAL_CONTENT_TYPES or response.has_header("Content-Disposition")
