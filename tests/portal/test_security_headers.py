"""Every HTML page, as every role reaches it, carries a strict Content-Security-Policy and a Permissions-Policy,
and holds no inline script, style element or style/event attribute that such a policy would block."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.crawl import ROLES, crawl_demo_site


class _Inline(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' refuses: inline scripts, <style>, style= and on*= attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and not attributes.get("src") and attributes.get("type") != "application/json":
            self._in_script = True
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == "href" and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} href={value!r}>")

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}…")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def inline_code(html: str) -> list[str]:
    parser = _Inline()
    parser.feed(html)
    return parser.found


@pytest.fixture(scope="module")
def crawled(django_db_setup, django_db_blocker):
    return crawl_demo_site(django_db_blocker)


@pytest.fixture(params=ROLES)
def role_pages(request, crawled):
    role = request.param
    pages = crawled[role]
    assert len(pages) >= 5, f"the crawl as {role} reached only {[page.url for page in pages]}"
    return role, pages


def test_every_page_sends_a_content_security_policy_without_inline_code(role_pages):
    role, pages = role_pages
    missing = [page.url for page in pages if "Content-Security-Policy" not in page.response]
    assert missing == [], f"as {role}, no CSP on {missing}"
    for page in pages:
        policy = page.response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "unsafe-inline" not in policy


def test_no_page_holds_inline_script_or_style(role_pages):
    role, pages = role_pages
    offenders = {page.url: inline_code(page.html) for page in pages if inline_code(page.html)}
    assert offenders == {}, f"as {role}"


def test_every_page_sends_a_permissions_policy_granting_geolocation_only_to_the_report_form(role_pages):
    role, pages = role_pages
    report_form = reverse("complaints:new")
    for page in pages:
        policy = page.response.get("Permissions-Policy", "")
        assert "camera=()" in policy, f"as {role}, {page.url}"
        expected = "geolocation=(self)" if page.url == report_form else "geolocation=()"
        assert expected in policy, f"as {role}, {page.url}: {policy}"


def test_the_inline_code_check_notices_an_onclick_and_a_style_attribute():
    found = inline_code('<button onclick="window.print()">x</button><p style="color:red">y</p><script>go()</script>')
    assert len(found) == 3
