"""A GeoReport v2 client written from the specification (wiki.open311.org/GeoReport_v2), over Django's test client.

It knows only what the spec says: endpoint names, the `.json`/`.xml` suffix, form-encoded POSTs, the element names
of each answer, and that XML lists are a root element with one child per item. Answers come back as plain data
(lists of dicts of strings for XML, as parsed for JSON) so tests can compare both formats.
"""

import json
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from django.test import Client
from django.urls import reverse

from tests.factories.complaints import category

# The spec's endpoints; JSON is routed by the documented ninja router, XML by plain Django URLs.
NAMES = {
    "json": {
        "services": "api:open311-services",
        "service": "api:open311-service",
        "requests": "api:open311-requests",
        "file": "api:open311-file",
        "request": "api:open311-request",
        "token": "api:open311-token",
    },
    "xml": {
        "services": "open311:services",
        "service": "open311:service",
        "requests": "open311:requests",
        "file": "open311:requests",
        "request": "open311:request",
        "token": "open311:token",
    },
}


@dataclass
class Answer:
    status: int
    data: object
    raw: str


def _from_xml(element: ET.Element):
    children = list(element)
    if not children:
        return element.text or ""
    tags = [child.tag for child in children]
    if len(set(tags)) == 1 and (len(tags) > 1 or tags[0] in ("service", "request", "error", "attribute", "value")):
        return [_from_xml(child) for child in children]
    return {child.tag: _from_xml(child) for child in children}


class GeoReportClient:
    def __init__(self, client: Client, fmt: str, language: str = "en") -> None:
        self.client, self.fmt, self.language = client, fmt, language

    def _url(self, name: str, **kwargs) -> str:
        return reverse(NAMES[self.fmt][name], kwargs=kwargs)

    def _answer(self, response) -> Answer:
        raw = response.content.decode()
        if self.fmt == "json":
            assert response["Content-Type"].startswith("application/json")
            return Answer(response.status_code, json.loads(raw), raw)
        assert response["Content-Type"].startswith(("application/xml", "text/xml"))
        root = ET.fromstring(raw)  # noqa: S314 - the document comes from the server under test
        data = _from_xml(root)
        if root.tag in ("services", "service_requests", "errors") and data == "":
            data = []
        return Answer(response.status_code, data, raw)

    def get(self, name: str, params: dict | None = None, **kwargs) -> Answer:
        return self._answer(
            self.client.get(self._url(name, **kwargs), params or {}, HTTP_ACCEPT_LANGUAGE=self.language)
        )

    def services(self) -> Answer:
        return self.get("services")

    def service_definition(self, code: str) -> Answer:
        return self.get("service", code=code)

    def post_request(self, **params) -> Answer:
        return self._answer(self.client.post(self._url("file"), params, HTTP_ACCEPT_LANGUAGE=self.language))

    def requests(self, **filters) -> Answer:
        return self.get("requests", filters)

    def request(self, service_request_id: str) -> Answer:
        return self.get("request", service_request_id=service_request_id)

    def token(self, token: str) -> Answer:
        return self.get("token", token=token)


def filing(api_key: str, area, **overrides) -> dict:
    data = {
        "api_key": api_key,
        "service_code": "burst_pipe",
        "description": "Pipa pecah di depan masjid, air mengalir ke jalan.",
        "address_string": "Jl. Selaparang depan Masjid Nurul Huda",
        "attribute[kelurahan]": area.code,
        "lat": "-8.583149",
        "long": "116.116733",
        "first_name": "Ni Made",
        "last_name": "Ayu",
        "phone": "0812-3456-7890",
        "email": "ayu@example.test",
    }
    category()
    return {key: value for key, value in {**data, **overrides}.items() if value is not None}


def text(value) -> str:
    """A value as XML carries it, so one assertion serves both formats."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
