"""Misspelt names and streets (Postgres): trigram word similarity through the GIN `gin_trgm_ops` indexes.

Used by accounts.search only when nothing matches as typed. Word similarity tolerates typos and word order
("siti aminh", "aminah siti" both find "Siti Aminah"); the strict threshold is tried first because it is where
the trigram index is fast, the loose one only when the strict finds nothing.
"""

from contextlib import contextmanager

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import connection as db
from django.db import transaction

from accounts.models import Customer, ServiceConnection

STRICT, LOOSE = 0.8, 0.6
CANDIDATES = 200


@contextmanager
def _trigram_index(threshold: float):
    """Run the queries inside with `%>` (trigram_word_similar) comparing at `threshold`, through the index.

    Both settings are local to a transaction. The planner prices word similarity like a cheap comparison and,
    seeing a LIMIT, would rather scan the table until enough rows match; for a name that one customer in a
    thousand has, that is a few hundred thousand similarity computations instead of one index lookup. Inside the
    search's own transaction no savepoint is made: releasing one would not undo the settings anyway, and each
    costs two round trips.
    """
    with transaction.atomic(savepoint=False), db.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true),"
            " set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)",
            [str(threshold)],
        )
        yield


def by_name(query: str, want: int) -> list[int]:
    """Connection ids of the names most like `query`, best first (at most `want`)."""
    for threshold in (STRICT, LOOSE):
        # A common first name matches tens of thousands of customers; ranking a capped sample of them keeps the
        # answer fast, and the person at the counter types a second word long before scrolling that far.
        candidates = Customer.objects.filter(name__trigram_word_similar=query).values("pk")[:CANDIDATES]
        # Whole-name similarity puts "Siti Aminah" above "Siti Aminah Nurhaliza" for the same words.
        rows = (
            ServiceConnection.objects.filter(customer__in=candidates)
            .annotate(
                word=TrigramWordSimilarity(query, "customer__name"), whole=TrigramSimilarity("customer__name", query)
            )
            .order_by("-word", "-whole", "account_number")
            .values_list("pk", flat=True)[:want]
        )
        with _trigram_index(threshold):
            found = list(rows)
        if found:
            return found
    return []


def by_address(street: str, areas: list[int], want: int) -> list[int]:
    """Connection ids of the addresses (in `areas`, if any) most like the street words, best first."""
    if len(street) < 2:
        return []
    matching = ServiceConnection.objects.filter(area__in=areas) if areas else ServiceConnection.objects.all()
    candidates = matching.filter(address__trigram_word_similar=street).order_by().values("pk")[:CANDIDATES]
    rows = (
        ServiceConnection.objects.filter(pk__in=candidates)
        .annotate(word=TrigramWordSimilarity(street, "address"))
        .order_by("-word", "account_number")
        .values_list("pk", flat=True)[:want]
    )
    with _trigram_index(STRICT):
        return list(rows)
