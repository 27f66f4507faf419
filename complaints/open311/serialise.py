"""The one place Open311 answers are shaped, for JSON and XML alike (the spec's element names and nesting)."""

import json
from datetime import datetime
from xml.etree import ElementTree as ET  # builds documents from our own data only; nothing is parsed

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Category, Complaint
from complaints.open311 import services

# XML wraps a list in an element named for the whole and one named for each item.
XML_ROOTS = {"services": "service", "service_requests": "request", "errors": "error"}
XML_ITEMS = {"attributes": "attribute", "values": "value"}


def when(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.label,
        "description": category.label,
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": "",
    }


def definition(category: Category) -> dict:
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": services.AREA_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": "",
                "order": 1,
                "description": _("Village (kelurahan) where the problem is"),
                "values": [{"key": area.code, "name": area.name} for area in services.kelurahan_choices()],
            }
        ],
    }


def public_request(complaint: Complaint) -> dict:
    """What public tracking may show: never the reporter, the house address or the free-text description."""
    area = complaint.area
    place = f"{area.name}, {area.parent.name}" if area and area.parent_id else (area.name if area else "")
    lat, lng = services.rounded(complaint.latitude), services.rounded(complaint.longitude)
    return {
        "service_request_id": complaint.ticket,
        "status": "open" if complaint.is_open else "closed",
        "status_notes": complaint.status_note or str(complaint.get_status_display()),
        "service_name": complaint.category.label,
        "service_code": complaint.category.code,
        "agency_responsible": settings.UTILITY_NAME,
        "service_notice": "",
        "requested_datetime": when(complaint.created_at),
        "updated_datetime": when(complaint.updated_at),
        "expected_datetime": when(complaint.due_at) if complaint.is_open else None,
        "address": place,
        "address_id": area.code if area else None,
        "lat": float(lat) if lat is not None else None,
        "long": float(lng) if lng is not None else None,
    }


def filed(result: services.Filed) -> dict:
    return {"service_request_id": result.service_request_id, "token": result.token, "service_notice": ""}


def token(found) -> dict:
    return {"service_request_id": found.complaint.ticket, "token": found.token}


def errors(error: services.Open311Error) -> list[dict]:
    return [{"code": error.status, "description": description} for description in error.descriptions]


def _xml_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _xml_fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _xml_fill(ET.SubElement(element, key), item)
    elif isinstance(value, list):
        for item in value:
            _xml_fill(ET.SubElement(element, XML_ITEMS[element.tag]), item)
    else:
        element.text = _xml_text(value)


def render(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    """`data` as the spec's JSON, or as XML under `root` (a list root gets one child element per item)."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False)
        return HttpResponse(body, content_type="application/json; charset=utf-8", status=status)
    element = ET.Element(root)
    if isinstance(data, list):
        for item in data:
            _xml_fill(ET.SubElement(element, XML_ROOTS[root]), item)
    else:
        _xml_fill(element, data)
    body = ET.tostring(element, encoding="unicode", xml_declaration=False)
    return HttpResponse(
        '<?xml version="1.0" encoding="utf-8"?>' + body, content_type="application/xml; charset=utf-8", status=status
    )
