"""The XML variants. The JSON ones are routed by the ninja router (complaints.open311.api) so that they appear in
the partner API description at /api/docs/; OpenAPI describes one media type per operation, and the spec's XML
twins would only repeat the same operations there."""

from django.urls import path

from complaints.open311 import views

app_name = "open311"
XML = {"fmt": "xml"}

urlpatterns = [
    path("services.xml", views.service_list, XML, name="services"),
    path("services/<str:code>.xml", views.service_definition, XML, name="service"),
    path("requests.xml", views.requests, XML, name="requests"),
    path("requests/<str:service_request_id>.xml", views.request_detail, XML, name="request"),
    path("tokens/<str:token>.xml", views.token_detail, XML, name="token"),
]
