"""Partners read the SNAP endpoints in the OpenAPI description served at /api/docs/."""

from django.urls import reverse


def test_the_openapi_description_lists_the_snap_endpoints_with_their_signed_headers(client, db):
    schema = client.get(reverse("api:openapi-json")).json()

    assert {"/v1.0/access-token/b2b", "/v1.0/transfer-va/inquiry", "/v1.0/transfer-va/payment"} <= set(schema["paths"])
    payment = schema["paths"]["/v1.0/transfer-va/payment"]["post"]
    assert "X-SIGNATURE" in {parameter["name"] for parameter in payment["parameters"]}
    assert "paidAmount" in payment["requestBody"]["content"]["application/json"]["schema"]["required"]


def test_the_docs_page_points_at_the_description(client, db):
    response = client.get(reverse("api:openapi-view"))

    assert response.status_code == 200
    assert reverse("api:openapi-json") in response.content.decode()
