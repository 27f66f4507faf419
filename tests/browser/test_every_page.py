"""Every page each role reaches, opened in Chromium at 360 px: it reads without sideways scrolling, every amount
and badge is in view, axe-core finds no serious or critical problem, and the Content-Security-Policy blocks
nothing the page needs.

One walk gathers the findings (seeding and crawling once keeps the browser suite fast); each test states one rule
over all of them.
"""

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.browser.checks import COLLECT_CSP_VIOLATIONS, WIDTH, check_page
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.crawl import ROLES, client_for, crawl, seed_small_demo, start_urls

pytestmark = pytest.mark.browser


def _browse(browser, base_url: str, role: str, measured_routes: set[str]) -> dict[str, dict]:
    """Measure the pages of a role whose URL pattern no earlier role had (the same page differs little by role)."""
    client = client_for(role)
    pages = [page for page in crawl(client, start_urls(role), per_route_limit=1) if page.route not in measured_routes]
    measured_routes.update(page.route for page in pages)
    context = browser.new_context(
        base_url=base_url, viewport={"width": WIDTH, "height": 740}, locale="id-ID", timezone_id="Asia/Makassar"
    )
    context.set_default_timeout(10_000)
    if settings.SESSION_COOKIE_NAME in client.cookies:
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
    context.add_init_script(COLLECT_CSP_VIOLATIONS)
    page = context.new_page()
    findings = {}
    for crawled in pages:
        page.goto(crawled.url)
        findings[crawled.url] = check_page(page)
    context.close()
    return findings


@pytest.fixture(scope="module")
def findings(_browser, live_server, django_db_setup, django_db_blocker):
    """{role: {url: what was measured}} over the seeded demo utility; the data is flushed afterwards.

    The walk has a Chromium of its own, closed at the end: its kept-alive sockets would otherwise hold the live
    server's database connections open until the test database is dropped.
    """
    browser = _browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    with django_db_blocker.unblock():
        seed_small_demo()
        try:
            measured_routes: set[str] = set()
            yield {role: _browse(browser, live_server.url, role, measured_routes) for role in ROLES}
        finally:
            browser.close()
            call_command("flush", interactive=False, verbosity=0)


def _problems(findings, key) -> str:
    """One line per page with a finding, readable in the failure message; empty when there is none."""
    return "\n".join(
        f"{role} {url}: {found[key]}" for role, pages in findings.items() for url, found in pages.items() if found[key]
    )


def test_the_walk_reaches_the_pages_of_every_role(findings):
    measured = sum(len(pages) for pages in findings.values())
    assert measured >= 20, {role: list(pages) for role, pages in findings.items()}


def test_no_page_scrolls_sideways_at_360_px(findings):
    wide = [
        f"{role} {url}: {found['scrollWidth']} px"
        for role, pages in findings.items()
        for url, found in pages.items()
        if found["scrollWidth"] > WIDTH
    ]
    assert wide == []


def test_every_amount_status_and_button_is_inside_the_screen(findings):
    problems = _problems(findings, "outside")
    assert not problems, problems


def test_badges_stay_on_one_line(findings):
    problems = _problems(findings, "blobs")
    assert not problems, problems


def test_axe_finds_no_serious_or_critical_violation(findings):
    problems = _problems(findings, "axe")
    assert not problems, problems


def test_the_content_security_policy_blocks_nothing_a_page_uses(findings):
    problems = _problems(findings, "csp")
    assert not problems, problems
