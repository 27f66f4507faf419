"""Finding any connection from one search box, the way counter staff type: an account number whole or in part, a
meter number, any 6 or more digits of a phone number in any format, the start of any word of a customer's name
(misspelt, surname first), or street words of an address.

Each rule reads up to COUNT_CAP + 1 of its matches through an index: the first ones are shown, and their number
says about how many match. Rules are shown one after another, strongest first: account numbers, phones, meters,
names, addresses, then misspelt names and streets. Within the account, phone and name rules the order does not
depend on what was typed (account number; the table's order), and typing more only narrows a rule's matches,
so typing more never pushes out a match that still fits. On Postgres names and streets match word prefixes
through full-text GIN indexes and misspellings by trigram word similarity (migrations 0005, 0006); the SQLite
fallback matches every typed word as a substring.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connection as db
from django.db import transaction
from django.db.models import Q, QuerySet

from accounts import search_fuzzy
from accounts.models import NATIONAL_NUMBER, Area, ConnectionLink, Customer, ServiceConnection, User, Words

LIMIT = 20
MAX_PAGE = 25
MIN_LENGTH = 2
MAX_LENGTH = 100
COUNT_CAP = 1000
PREFIX_LETTERS = 3
PHONE_DIGITS = 6
# Street kinds and fillers nearly every address has: "Jl. Merdeka" and "Jalan Merdeka" are the same street words.
_ADDRESS_NOISE = {"jl", "jln", "jalan", "gg", "gang", "no", "nomor", "rt", "rw", "blok"}

_NUMBER_LIKE = re.compile(r"^[\d\s+\-().]+$")
_METER_LIKE = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9][A-Za-z0-9\-/. ]*$")
_WORD = re.compile(r"[^\W_]+")


class Match:
    """Why a connection was found; shown next to the result so staff see at once why it is there."""

    ACCOUNT = "account"
    PHONE = "phone"
    METER = "meter"
    NAME = "name"
    ADDRESS = "address"


@dataclass(frozen=True)
class Hit:
    connection: ServiceConnection
    match: str


@dataclass(frozen=True)
class Found:
    """One rule's answer: matching connection ids in the order shown, and how many match (up to COUNT_CAP)."""

    pks: list[int]
    count: int


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    page: int
    offset: int  # results before this page
    total: int  # about how many connections match: each rule's count, added up
    total_is_floor: bool  # some rule had more than COUNT_CAP matches
    has_next: bool

    @property
    def capped(self) -> bool:
        return self.page > 1 or self.has_next

    @property
    def first(self) -> int:
        return self.offset + 1

    @property
    def last(self) -> int:
        return self.offset + len(self.hits)


def clean_query(raw: str) -> str:
    """Collapse whitespace and cut overlong input; what is left is what we search for."""
    return " ".join((raw or "").replace("\x00", " ").split())[:MAX_LENGTH]


def search_connections(
    raw: str, *, limit: int = LIMIT, queryset: QuerySet[ServiceConnection] | None = None
) -> list[Hit]:
    """The first `limit` connections for what was typed, best first (see `find`)."""
    return find(raw, per_page=limit, queryset=queryset).hits


def find(
    raw: str, *, page: int = 1, per_page: int = LIMIT, queryset: QuerySet[ServiceConnection] | None = None
) -> Results:
    """One page of the connections matching what was typed, and about how many match in all.

    `queryset` lets the caller decide what is loaded with each connection (the staff pages add amounts due);
    it must not be sliced.
    """
    query = clean_query(raw)
    page = min(max(page, 1), MAX_PAGE)
    if len(query) < MIN_LENGTH:
        return Results([], page, 0, 0, False, False)
    offset = (page - 1) * per_page
    want = offset + per_page + 1
    ranked: dict[int, str] = {}
    counts: list[int] = []
    with _serial_plans():
        for match, found in _rules(query, want):
            counts.append(found.count)
            for pk in found.pks:
                ranked.setdefault(pk, match)
    order = list(ranked.items())
    shown = order[offset : offset + per_page]
    base = queryset if queryset is not None else ServiceConnection.objects.all()
    loaded = base.select_related("customer", "customer_class", "area", "area__parent").in_bulk([pk for pk, _ in shown])
    hits = [Hit(loaded[pk], match) for pk, match in shown if pk in loaded]
    total = max(sum(min(count, COUNT_CAP) for count in counts), len(order))
    floor = any(count > COUNT_CAP for count in counts)
    return Results(hits, page, offset, total, floor, len(order) > offset + per_page)


@contextmanager
def _serial_plans():
    """One transaction for the rules (a consistent count), planned without parallel workers (Postgres).

    Every rule reads a few hundred rows at most; starting two workers for it costs more than it saves, and
    would return rows out of the table's order (see `_in_a_fixed_order`).
    """
    if db.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), db.cursor() as cursor:
        cursor.execute("SELECT set_config('max_parallel_workers_per_gather', '0', true)")
        yield


def _rules(query: str, want: int):
    """Each rule that applies to what was typed, strongest first, as (Match, Found)."""
    digits = re.sub(r"\D", "", query)
    found: list[Found] = []
    if _NUMBER_LIKE.match(query) and digits:
        found += [_by_account_number(digits, want), _by_phone(digits, want)]
        yield Match.ACCOUNT, found[-2]
        yield Match.PHONE, found[-1]
    if _METER_LIKE.match(query):
        found.append(_by_meter_number(query, want))
        yield Match.METER, found[-1]
    if any(ch.isalpha() for ch in query):
        words = [word.lower() for word in _WORD.findall(query)]
        street, areas = _address_terms(words)
        found += [_by_name(words, want), _by_address(street, areas, want)]
        yield Match.NAME, found[-2]
        yield Match.ADDRESS, found[-1]
        # Misspelt names (and streets) only when nothing matches as typed: the trigram passes read long index
        # lists, and a name typed right (or a meter number) needs none of them.
        if db.vendor == "postgresql" and not any(rule.pks for rule in found):
            names = search_fuzzy.by_name(query, want)
            yield Match.NAME, Found(names, len(names))
            if not names:
                streets = search_fuzzy.by_address(" ".join(street), areas, want)
                yield Match.ADDRESS, Found(streets, len(streets))


def _by_account_number(digits: str, want: int) -> Found:
    """Numbers starting with the digits, in order (so the exact number first).

    Account numbers are digits only, so a prefix is the range [digits, digits+1) on the unique index: unlike
    LIKE, a range works whatever the database's collation.
    """
    if not 3 <= len(digits) <= 12:
        return Found([], 0)
    matching = ServiceConnection.objects.filter(account_number__gte=digits)
    upper = _next_prefix(digits)
    if upper:
        matching = matching.filter(account_number__lt=upper)
    pks = list(matching.order_by("account_number").values_list("pk", flat=True)[: COUNT_CAP + 1])
    return Found(pks[:want], len(pks))


def _next_prefix(digits: str) -> str:
    """The smallest digit string after every string starting with `digits` ("1009" → "101"); "" if none."""
    stripped = digits.rstrip("9")
    return stripped[:-1] + str(int(stripped[-1]) + 1) if stripped else ""


def phone_fragments(digits: str) -> list[str]:
    """What to look for inside stored E.164 numbers (`+6281234567890`) for digits typed in any format.

    A leading 0 is the national prefix (0812… is +62 812…), but it may as well be a digit inside the number.
    """
    fragments = [digits]
    if digits.startswith("0"):
        fragments.append("62" + digits[1:])
    return fragments


def _customer_phone_contains(digits: str) -> Q:
    """`phone` (E.164) contains the digits, or starts with them read as a national number (0812…).

    Written against the national number (after "+62", trigram index) plus the prefixes that reach into "+62"
    (btree): `phone LIKE '%6281…%'` would read the trigram "628" of nearly every row.
    """
    condition = Q(national__contains=digits)
    if digits.startswith("0"):
        condition |= Q(phone__startswith="+62" + digits[1:])
    if digits.startswith("62"):
        condition |= Q(phone__startswith="+" + digits)
    elif digits.startswith("2"):
        condition |= Q(phone__startswith="+6" + digits)
    return condition


def _by_phone(digits: str, want: int) -> Found:
    """Connections whose holder's, or a linking portal user's, number contains the digits, by account number.

    One query: the numbers are found first (through their indexes, at most COUNT_CAP + 1 of each), then their
    connections by key. Ordered and limited in the database, Postgres would walk the account numbers instead,
    through all of them when few match.
    """
    if len(digits) < PHONE_DIGITS:
        return Found([], 0)
    holders = Customer.objects.alias(national=NATIONAL_NUMBER).filter(_customer_phone_contains(digits))
    contains = Q()
    for fragment in phone_fragments(digits):
        contains |= Q(phone__contains=fragment)
    users = User.objects.filter(contains)
    held = ServiceConnection.objects.filter(customer__in=holders.values("pk")[: COUNT_CAP + 1])
    linked = ConnectionLink.objects.filter(user__in=users.values("pk")[: COUNT_CAP + 1])
    rows = sorted(
        held.order_by()
        .values_list("account_number", "pk")
        .union(linked.order_by().values_list("connection__account_number", "connection_id"))
    )
    return Found([pk for _, pk in rows[:want]], len(rows))


def _meter_form(query: str) -> str:
    """Meter serials are stored upper case with dashes (`M21-0500005`); people type `m21 0500005`."""
    return re.sub(r"[\s/.]+", "-", query.upper())


def _by_meter_number(query: str, want: int) -> Found:
    """The exact meter first, then meters starting with what was typed (in the pattern-ops index's order)."""
    meter = _meter_form(query)
    exact = list(ServiceConnection.objects.filter(meter_number=meter).values_list("pk", flat=True)[:1])
    # Unordered (not even by the model's default): LIKE on the pattern-ops index stops after enough rows
    # instead of sorting every match.
    matching = ServiceConnection.objects.filter(meter_number__startswith=meter).order_by()
    prefix = list(matching.values_list("pk", flat=True)[: COUNT_CAP + 1])
    return Found((exact + [pk for pk in prefix if pk not in exact])[:want], len(prefix))


def _prefix_query(words: list[str]) -> SearchQuery:
    """Every word as a prefix of some word (`'bud':* & 'sant':*`); the words are letters and digits only."""
    return SearchQuery(" & ".join(f"'{word}':*" for word in words), search_type="raw", config="simple")


def _by_name(words: list[str], want: int) -> Found:
    """Customers having, for each typed word of PREFIX_LETTERS or more, a name word starting with it."""
    words = [word for word in words if len(word) >= PREFIX_LETTERS]
    if not words:
        return Found([], 0)
    if db.vendor == "postgresql":
        customers = Customer.objects.alias(words=Words("name")).filter(words=_prefix_query(words))
    else:
        customers = Customer.objects.filter(_every_word_in("name", words))
    found = _in_a_fixed_order(list(customers.order_by().values_list("pk", "name")[: COUNT_CAP + 1]))
    first = {pk: position for position, (pk, _name) in enumerate(found[:want])}
    rows = (
        ServiceConnection.objects.filter(customer__in=first)
        .order_by()
        .values_list("pk", "customer_id", "account_number")
    )
    rows = sorted(rows, key=lambda row: (first[row[1]], row[2]))
    return Found([pk for pk, _customer, _number in rows[:want]], len(found))


def _in_a_fixed_order(rows: list[tuple]) -> list[tuple]:
    """Matches in an order that does not depend on what was typed, so that typing more keeps those that fit.

    Unordered, the index's bitmap scan returns rows in the table's physical order and stops after COUNT_CAP + 1;
    sorting every match of a common prefix (12,000 for "bud" at 1,000,000 customers) would read them all. When
    all the matches fit on one page, they are shown sorted (by name, by address), which changes no page.
    """
    return sorted(rows, key=lambda row: (row[1], row[0])) if len(rows) <= LIMIT else rows


def _address_terms(words: list[str]) -> tuple[list[str], list[int]]:
    """Split the typed words into street words and the areas they name (`pasar mangasa` → `pasar`, [Mangasa]).

    Street kinds and fillers ("Jl.", "Gang", "No.") are dropped, and area names become a filter: both are shared
    by thousands of addresses and say little.
    """
    lowered = f" {' '.join(words)} "
    areas = []
    for pk, name in Area.objects.values_list("pk", "name"):
        area_words = " ".join(word.lower() for word in _WORD.findall(name))
        if area_words and f" {area_words} " in lowered:
            areas.append(pk)
            lowered = lowered.replace(f" {area_words} ", " ")
    return [word for word in lowered.split() if word not in _ADDRESS_NOISE], areas


def _by_address(street: list[str], areas: list[int], want: int) -> Found:
    """Addresses with a word starting with each street word (in the named areas)."""
    if not street or len("".join(street)) < MIN_LENGTH:
        return Found([], 0)
    matching = ServiceConnection.objects.filter(area__in=areas) if areas else ServiceConnection.objects.all()
    if db.vendor == "postgresql":
        matching = matching.alias(words=Words("address")).filter(words=_prefix_query(street))
    else:
        matching = matching.filter(_every_word_in("address", street))
    found = _in_a_fixed_order(list(matching.order_by().values_list("pk", "address")[: COUNT_CAP + 1]))
    return Found([pk for pk, _address in found[:want]], len(found))


def _every_word_in(field: str, words: list[str]) -> Q:
    condition = Q()
    for word in words:
        condition &= Q(**{f"{field}__icontains": word})
    return condition
