"""Open311 services, their definitions, discovery and the API description, in both formats."""

import pytest
from django.urls import reverse

from tests.complaints.open311.client import text
from tests.factories.complaints import category

pytestmark = pytest.mark.django_db


# Services


def test_the_services_are_the_active_complaint_categories(geo):
    category("burst_pipe").__class__.objects.filter(code="billing").update(is_active=False)
    answer = geo.services()
    codes = [service["service_code"] for service in answer.data]
    assert answer.status == 200
    assert "burst_pipe" in codes
    assert "no_water" in codes
    assert "billing" not in codes
    burst = next(s for s in answer.data if s["service_code"] == "burst_pipe")
    assert burst["service_name"] == "Burst or leaking pipe"
    assert text(burst["metadata"]) == "true"
    assert burst["type"] == "realtime"


def test_a_service_definition_asks_for_the_kelurahan_from_a_list(geo, area):
    category()
    answer = geo.service_definition("burst_pipe")
    (attribute,) = answer.data["attributes"]
    assert answer.data["service_code"] == "burst_pipe"
    assert attribute["code"] == "kelurahan"
    assert attribute["datatype"] == "singlevaluelist"
    assert text(attribute["required"]) == "true"
    assert {"key": area.code, "name": "Cakranegara Barat"} in attribute["values"]


def test_an_unknown_service_is_404_in_the_spec_error_shape(geo):
    answer = geo.service_definition("pizza")
    assert answer.status == 404
    assert text(answer.data[0]["code"]) == "404"
    assert "pizza" in answer.data[0]["description"]


def test_discovery_points_at_the_v2_endpoint_in_both_formats(client):
    data = client.get(reverse("api:open311-discovery")).json()
    (endpoint,) = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}


# Description and key management


def test_the_api_description_lists_the_open311_operations(client):
    schema = client.get(reverse("api:openapi-json")).json()
    assert "/open311/v2/requests.json" in schema["paths"]
    assert set(schema["paths"]["/open311/v2/requests.json"]) == {"get", "post"}
    assert "Tirta partner API" in client.get(reverse("api:openapi-view")).content.decode()
