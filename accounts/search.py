"""Finding any connection from one search box, the way counter staff type: an account number whole or in part, a
meter number, a phone number in any format, a customer's name (misspelt, surname first) or part of an address.

Each kind of match is one indexed query giving at most `limit` candidates with a score in [0, 1]; a connection
found several ways keeps its best score. Exact identifiers (account, phone, meter) outrank anything fuzzy.
On Postgres names and addresses match by trigram word similarity (GIN `gin_trgm_ops` indexes, migration 0003),
which tolerates typos and word order; the SQLite fallback matches every typed word as a substring instead.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import connection as db
from django.db import transaction
from django.db.models import Q, QuerySet

from accounts.models import Area, ConnectionLink, Customer, ServiceConnection
from accounts.phones import InvalidPhoneNumber, normalise_phone

LIMIT = 20
MIN_LENGTH = 2
MAX_LENGTH = 100
STRICT, LOOSE = 0.8, 0.6  # word similarity thresholds: the first pass, then the one for misspellings
CANDIDATES = 200
_ADDRESS_NOISE = {"jl", "jln", "jalan", "gg", "gang", "no", "nomor", "rt", "rw", "blok"}

_NUMBER_LIKE = re.compile(r"^[\d\s+\-().]+$")
_METER_LIKE = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9][A-Za-z0-9\-/. ]*$")


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
    score: float
    match: str


def clean_query(raw: str) -> str:
    """Collapse whitespace and cut overlong input; what is left is what we search for."""
    return " ".join((raw or "").replace("\x00", " ").split())[:MAX_LENGTH]


def search_connections(
    raw: str, *, limit: int = LIMIT, queryset: QuerySet[ServiceConnection] | None = None
) -> list[Hit]:
    """The best `limit` connections for what was typed, best first.

    `queryset` lets the caller decide what is loaded with each connection (the staff pages add amounts due);
    it must not be sliced.
    """
    query = clean_query(raw)
    if len(query) < MIN_LENGTH:
        return []
    best: dict[int, tuple[float, str]] = {}

    def offer(candidates, match: str) -> None:
        for pk, score in candidates:
            if pk not in best or score > best[pk][0]:
                best[pk] = (float(score), match)

    digits = re.sub(r"\D", "", query)
    if _NUMBER_LIKE.match(query) and digits:
        offer(_by_account_number(digits, limit), Match.ACCOUNT)
        offer(_by_phone(query, limit), Match.PHONE)
    if _METER_LIKE.match(query):
        offer(_by_meter_number(query, limit), Match.METER)
    if any(ch.isalpha() for ch in query):
        # Most of what people type matches well at the strict threshold, which is also where the trigram index
        # is fast; only when nothing does are misspelt names looked for at the loose one (names are misheard and
        # misspelt far more often than the street on a bill someone hands over).
        fuzzy = db.vendor == "postgresql"
        street, areas = _address_terms(query)
        names = _by_name(query, limit, STRICT if fuzzy else None)
        addresses = _by_address(street, areas, limit, STRICT if fuzzy else None)
        if fuzzy and not names and not addresses:
            names = _by_name(query, limit, LOOSE)
        offer(names, Match.NAME)
        offer(addresses, Match.ADDRESS)
    ranked = sorted(best.items(), key=lambda item: -item[1][0])[:limit]
    base = queryset if queryset is not None else ServiceConnection.objects.all()
    loaded = base.select_related("customer", "customer_class", "area", "area__parent").in_bulk([pk for pk, _ in ranked])
    hits = [Hit(loaded[pk], score, match) for pk, (score, match) in ranked if pk in loaded]
    # Equal scores (a run of prefix matches) read best in account-number order.
    return sorted(hits, key=lambda hit: (-hit.score, hit.connection.account_number))


def _by_account_number(digits: str, limit: int):
    """Exact number first, then numbers starting with the digits, in order.

    Account numbers are digits only, so a prefix is the range [digits, digits+1) on the unique index: unlike
    LIKE, a range works whatever the database's collation.
    """
    if not 3 <= len(digits) <= 12:
        return []
    rows = ServiceConnection.objects.filter(account_number__gte=digits)
    upper = _next_prefix(digits)
    if upper:
        rows = rows.filter(account_number__lt=upper)
    rows = rows.order_by("account_number").values_list("pk", "account_number")[:limit]
    return [(pk, 1.0 if number == digits else 0.9) for pk, number in rows]


def _next_prefix(digits: str) -> str:
    """The smallest digit string after every string starting with `digits` ("1009" → "101"); "" if none."""
    stripped = digits.rstrip("9")
    return stripped[:-1] + str(int(stripped[-1]) + 1) if stripped else ""


def _by_phone(query: str, limit: int):
    try:
        e164 = normalise_phone(query, mobile_only=False)
    except InvalidPhoneNumber:
        return []
    # Two indexed lookups rather than one OR across a join, which Postgres can only answer with a full scan.
    holders = ServiceConnection.objects.filter(customer__phone=e164).order_by().values_list("pk", flat=True)[:limit]
    linked = ConnectionLink.objects.filter(user__phone=e164).values_list("connection_id", flat=True)[:limit]
    return [(pk, 0.95) for pk in {*holders, *linked}]


def _meter_form(query: str) -> str:
    """Meter serials are stored upper case with dashes (`M21-0500005`); people type `m21 0500005`."""
    return re.sub(r"[\s/.]+", "-", query.upper())


def _by_meter_number(query: str, limit: int):
    meter = _meter_form(query)
    exact = ServiceConnection.objects.filter(meter_number=meter).order_by().values_list("pk", flat=True)[:1]
    # Unordered (not even by the model's default): LIKE on the pattern-ops index stops after `limit` rows
    # instead of sorting every match.
    prefix = (
        ServiceConnection.objects.filter(meter_number__startswith=meter).order_by().values_list("pk", flat=True)[:limit]
    )
    return [(pk, 0.85) for pk in prefix] + [(pk, 0.95) for pk in exact]


@contextmanager
def _trigram_index(threshold: float):
    """Run the queries inside with `%>` (trigram_word_similar) comparing at `threshold`, through the index.

    Both settings are local to a transaction. The planner prices word similarity like a cheap comparison and,
    seeing a LIMIT, would rather scan the table until enough rows match; for a name that one customer in a
    thousand has, that is a few hundred thousand similarity computations instead of one index lookup.
    """
    with transaction.atomic(), db.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true),"
            " set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)",
            [str(threshold)],
        )
        yield


def _by_name(query: str, limit: int, threshold: float | None):
    if threshold is None:
        return _every_word_in("customer__name", query, limit, score=0.7)
    # A common first name matches tens of thousands of customers; ranking a capped sample of them keeps the
    # answer fast, and the person at the counter types a second word long before scrolling that far.
    candidates = Customer.objects.filter(name__trigram_word_similar=query).values("pk")[:CANDIDATES]
    # Word similarity finds "siti aminh" and "aminah siti" in "Siti Aminah"; whole-name similarity then puts
    # "Siti Aminah" above "Siti Aminah Nurhaliza" for the same words.
    rows = (
        ServiceConnection.objects.filter(customer__in=candidates)
        .annotate(word=TrigramWordSimilarity(query, "customer__name"), whole=TrigramSimilarity("customer__name", query))
        .order_by("-word", "-whole")
        .values_list("pk", "word", "whole")[:limit]
    )
    with _trigram_index(threshold):
        rows = list(rows)
    return [(pk, 0.6 * word + 0.2 * whole) for pk, word, whole in rows]


def _address_terms(query: str) -> tuple[str, list[int]]:
    """Split what was typed into street words and the areas it names ("pasar mangasa" → "pasar", [Mangasa]).

    Words nearly every address has ("Jl.", "Gang", "No.") are dropped, and area names become a filter: both
    are shared by thousands of addresses, say little, and would make the trigram index read long lists.
    """
    lowered = f" {query.lower()} "
    areas = []
    for pk, name in Area.objects.values_list("pk", "name"):
        pattern = re.compile(rf"(?<=\W){re.escape(name.lower())}(?=\W)")
        if pattern.search(lowered):
            areas.append(pk)
            lowered = pattern.sub(" ", lowered)
    words = [word for word in lowered.split() if word.rstrip(".") not in _ADDRESS_NOISE]
    return " ".join(words), areas


def _by_address(words: str, areas: list[int], limit: int, threshold: float | None):
    if len(words) < MIN_LENGTH:
        return []
    matching = ServiceConnection.objects.filter(area__in=areas) if areas else ServiceConnection.objects.all()
    if threshold is None:
        return _every_word_in("address", words, limit, score=0.45, rows=matching)
    candidates = matching.filter(address__trigram_word_similar=words).order_by().values("pk")[:CANDIDATES]
    rows = (
        ServiceConnection.objects.filter(pk__in=candidates)
        .annotate(word=TrigramWordSimilarity(words, "address"))
        .order_by("-word")
        .values_list("pk", "word")[:limit]
    )
    with _trigram_index(threshold):
        rows = list(rows)
    # Naming the area as well makes the match surer.
    return [(pk, 0.5 * word + (0.1 if areas else 0)) for pk, word in rows]


def _every_word_in(field: str, query: str, limit: int, *, score: float, rows=None):
    condition = Q()
    for word in query.split():
        condition &= Q(**{f"{field}__icontains": word})
    rows = (
        (rows if rows is not None else ServiceConnection.objects.all())
        .filter(condition)
        .order_by("account_number")
        .values_list("pk", flat=True)
    )
    return [(pk, score) for pk in rows[:limit]]
