"""Postgres plans a query a connection repeats once, not on every page (DB_PREPARED_STATEMENTS, on by default).

Django binds parameters on the server when asked but leaves psycopg's prepare_threshold off: without it nothing is
ever prepared, and a page's nine-table join was planned again on every request (bench/README.md).
"""

import pytest
from django.db import connection

from accounts.models import ServiceConnection
from billing.services import with_amount_due
from tests.factories.accounts import ServiceConnectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_a_query_run_five_times_on_a_connection_is_prepared_and_reused():
    for number in range(6):
        list(ServiceConnection.objects.filter(account_number=f"10000000{number:02d}"))
    [statement] = [s for s in prepared_statements() if 'FROM "accounts_serviceconnection"' in s]
    assert "$1" in statement  # one plan for every account number, the value bound at each run


def test_the_arrears_of_a_connection_are_prepared_with_the_open_status_written_in():
    # A bound status cannot be proven to match the partial index's `status = 'open'`, so Postgres planned the
    # prepared query again on every run to use the index (bench/README.md, stop 21): the status must be in the text.
    one = ServiceConnectionFactory()
    for _ in range(6):
        list(with_amount_due(ServiceConnection.objects.filter(pk=one.pk)))
    [statement] = [s for s in prepared_statements() if "amount_due" in s]
    assert statement.count("\"status\" = ('open')") == 2  # the arrears and the overdue count
    assert "\"status\" = ('disputed')" in statement
