"""The search's queries are written so that Postgres can answer them from their indexes (migration 0006 fixed a
word index that no query could use). On a tiny test table the planner would rather scan, so scans are priced out.
bench/staff_search.py --explain shows the same plans at 1,000,000 connections."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.search import search_connections
from tests.factories.accounts import ServiceConnectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def plans_of_the_search_for(typed: str) -> str:
    with CaptureQueriesContext(connection) as captured:
        search_connections(typed)
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        # Only bitmap scans are left, which need an index condition: what the rule's index can answer.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        for query in captured.captured_queries:
            if query["sql"].lstrip("(").startswith("SELECT") and "set_config(" not in query["sql"]:
                cursor.execute(f"EXPLAIN {query['sql']}")
                plans.extend(row[0] for row in cursor.fetchall())
    return "\n".join(plans)


@pytest.mark.parametrize(
    ("typed", "index"),
    [
        ("bud sant", "customer_name_words"),
        ("jl. merdeka", "connection_address_words"),
        ("7345 678", "customer_national_number_trgm"),
    ],
)
def test_each_rule_reads_its_index(typed, index):
    ServiceConnectionFactory(customer__name="Budi Santoso", address="Jl. Merdeka No. 5")
    assert index in plans_of_the_search_for(typed)
