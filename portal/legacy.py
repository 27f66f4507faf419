"""Paths the portal used to answer, kept working after the URL scheme was made one (English words, staff pages
under /staff/): links in old e-mails, SMS and bookmarks still land, and a form posted from a page loaded before
a deploy still goes through."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import path, reverse

from billing.views import public as billing_public
from billing.views import staff as billing_staff
from complaints.views import public as complaints_public


def moved(view: Callable[..., HttpResponse], name: str) -> Callable[..., HttpResponse]:
    """GET and HEAD answer a permanent redirect to the page's new address (query kept); other methods are served
    by the page's own view at the old address, which still checks CSRF and refuses what it always refused."""

    def legacy(request: HttpRequest, **kwargs: str) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            query = request.META.get("QUERY_STRING", "")
            target = reverse(name, kwargs=kwargs)
            return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
        return view(request, **kwargs)

    return legacy


urlpatterns = [
    path("billing/cek/", moved(billing_public.lookup, "billing:lookup")),
    path("billing/staff/readings/import/", moved(billing_staff.import_readings, "billing:import-readings")),
    path("complaints/t/<str:ticket>/", moved(complaints_public.ticket, "complaints:ticket")),
    path("complaints/t/<str:ticket>/comment/", moved(complaints_public.comment, "complaints:comment")),
    path("complaints/t/<str:ticket>/rate/", moved(complaints_public.rate, "complaints:rate")),
]
