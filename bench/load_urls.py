"""The portal's URLs plus the baseline: a bare Django template view behind the same middleware."""

from django.urls import include, path
from django.views.generic import TemplateView

from portal.urls import handler400, handler403, handler404, handler500  # noqa: F401

urlpatterns = [
    path("bench/bare/", TemplateView.as_view(template_name="bench_bare.html"), name="bench-bare"),
    path("", include("portal.urls")),
]
