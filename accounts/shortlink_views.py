from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from accounts import shortlinks


@require_GET
@ratelimit(key="ip", rate="60/m", block=True)
def follow(request: HttpRequest, token: str) -> HttpResponse:
    """A short link from a text message: on to the page it stands for, or 404."""
    url = shortlinks.target(token)
    if url is None:
        raise Http404
    return HttpResponseRedirect(url)
