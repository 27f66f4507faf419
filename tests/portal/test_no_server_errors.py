"""No URL answers 500, whatever is typed into it: every route, hostile path values, query strings and form
fields, for a stranger, a customer and a supervisor. New routes are covered automatically."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories.billing import BillFactory
from tests.factories.complaints import ComplaintFactory

pytestmark = pytest.mark.django_db

HOSTILE = ["0", "999999999", "-1", "abc", "%00", "ADU-2026-000001", "1001000001", "' OR 1=1 --", "x" * 300]
HOSTILE_QUERY = "?q=%00&page=abc&status=zzz&sort=%27&area=x&category=%00&assignee=-1&sla=what&period=2026-13"
FIELD_NAMES = """
    account_number answer q email username password phone full_name description address area category latitude
    longitude connection rating comment status reason note amount tendered period file ticket digits language kind
    title starts_at expected_end_at areas assignee tickets
"""
HOSTILE_FORMS = [
    dict.fromkeys(FIELD_NAMES.split(), value)
    for value in ("<script>alert(1)</script>' ; DROP TABLE x; --", "99999999999999999999", "-1", "\x00")
]
SKIPPED_PREFIXES = ("admin/", "^media/", "i18n/")


def routes() -> list[str]:
    def walk(patterns, prefix: str = ""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return sorted({route for route in walk(get_resolver().url_patterns) if not route.startswith(SKIPPED_PREFIXES)})


def fill(route: str, value: str) -> str:
    path = re.sub(r"<int:[^>]+>", "999999" if not value.lstrip("-").isdigit() else value.lstrip("-"), route)
    return "/" + re.sub(r"<(?:str|slug|path):[^>]+>|<[^>]+>", value.replace("/", ""), path)


@pytest.fixture
def world(customer, other_customer):
    """Objects of another customer, so that guessed ids point at something real."""
    BillFactory(connection=other_customer.connections.get())
    ComplaintFactory(ticket="ADU-2026-000001")


@pytest.fixture(params=["anonymous", "customer", "supervisor"])
def visitor(request, client, world, customer, supervisor):
    if request.param == "customer":
        client.force_login(customer)
    elif request.param == "supervisor":
        client.force_login(supervisor)
    return client


def test_no_route_answers_500_to_hostile_input(visitor):
    for route in routes():
        for value in HOSTILE:
            path = fill(route, value)
            response = visitor.get(path + HOSTILE_QUERY)
            assert response.status_code < 500, f"GET {path}: {response.status_code}"
        for form in HOSTILE_FORMS:
            response = visitor.post(fill(route, "1"), form)
            assert response.status_code < 500, f"POST {route} {form['q']!r}: {response.status_code}"
