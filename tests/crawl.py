"""Walk the portal as one person: every same-site page reachable by links from where that person starts.

The security-header test checks each page's headers and markup; the browser tests open the same pages in
Chromium. Pages of one URL pattern (36 tickets, filters, paging) are capped so the walk stays short.
"""

from collections import deque
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse

from accounts import demo as accounts_demo

ROLES = ("anonymous", "customer", "counter", "complaints", "field", "billing", "supervisor")
# Django's admin is its own product with its own markup; downloads and the language switch are not pages.
SKIPPED_PREFIXES = ("/admin/", "/i18n/", "/static/", "/media/")
SKIPPED_SUFFIXES = (".pdf", ".zip", ".csv")
PAGES_PER_ROUTE = 2
MAX_PAGES = 80


@dataclass
class Page:
    url: str
    route: str
    response: object
    html: str


def demo_email(role: str) -> str:
    if role == "customer":
        return accounts_demo.DEMO_CUSTOMER_EMAIL
    return next(email for email, (_name, group) in accounts_demo.DEMO_STAFF.items() if group == role)


def client_for(role: str) -> Client:
    """A test client signed in as the demo person of a role (seed_demo must have run)."""
    from accounts.models import User

    client = Client()
    if role != "anonymous":
        client.force_login(User.objects.get(email=demo_email(role)))
    return client


def start_urls(role: str) -> list[str]:
    """Where a person of the role starts, plus the pages only reached through a form (search, paying)."""
    from billing.payments.models import Receipt

    urls = [reverse("portal:home"), reverse("billing:lookup"), reverse("complaints:new"), reverse("complaints:track")]
    if role == "anonymous":
        return [*urls, reverse("accounts:login"), reverse("accounts:register"), reverse("accounts:password-reset")]
    receipts = Receipt.objects.filter(payment__connection__links__user__email=accounts_demo.DEMO_CUSTOMER_EMAIL)
    receipt = receipts.select_related("payment__connection").order_by("-pk").first()
    print_url = reverse("payments:receipt-print", args=[receipt.pk])
    if role == "customer":
        return [*urls, reverse("portal:dashboard"), reverse("accounts:profile"), print_url]
    number = receipt.payment.connection.account_number
    return [
        *urls,
        reverse("portal:staff-home"),
        reverse("portal:staff-search") + f"?q={number}",
        reverse("portal:staff-account", args=[number]),
        print_url,
        reverse("payments:credits"),
        reverse("billing:import-readings"),
    ]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def _wanted(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return False
    return not parts.path.startswith(SKIPPED_PREFIXES) and not parts.path.endswith(SKIPPED_SUFFIXES)


def crawl(client: Client, starts: list[str], per_route_limit: int = PAGES_PER_ROUTE) -> list[Page]:
    """GET every linked page breadth-first; redirects are followed, only HTML answers are returned."""
    queue = deque(starts)
    seen: set[str] = set()
    per_route: dict[str, int] = {}
    pages: list[Page] = []
    while queue and len(pages) < MAX_PAGES:
        url = urldefrag(queue.popleft()).url
        path = urlsplit(url).path
        if url in seen or not _wanted(url):
            continue
        seen.add(url)
        route = _route(path)
        if route is None or per_route.get(route, 0) >= per_route_limit:
            continue
        per_route[route] = per_route.get(route, 0) + 1
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        pages.append(Page(url, route, response, html))
        parser = _Links()
        parser.feed(html)
        base = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
        queue.extend(link if link.startswith(("/", "http")) else _join(base, path, link) for link in parser.links)
    return pages


def _route(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


def _join(base: str, path: str, link: str) -> str:
    # Links here are absolute paths, "?query" on the same page or "#fragment".
    if link.startswith("?"):
        return path + link
    if link.startswith("#"):
        return path
    return base + link


def seed_small_demo() -> None:
    with override_settings(DEBUG=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("seed_demo", connections=4, verbosity=0)


def crawl_demo_site(django_db_blocker) -> dict[str, list[Page]]:
    """Seed a small demo utility, crawl it as every role, and roll the data back (module-scoped fixtures)."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_small_demo()
        pages = {role: crawl(client_for(role), start_urls(role)) for role in ROLES}
        transaction.set_rollback(True)
    return pages
