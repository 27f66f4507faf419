"""Postgres plans a query a connection repeats once, not on every page (DB_PREPARED_STATEMENTS, on by default).

Django binds parameters on the server when asked but leaves psycopg's prepare_threshold off: without it nothing is
ever prepared, and a page's nine-table join was planned again on every request (bench/README.md).
"""

import pytest
from django.db import connection

from accounts.models import ServiceConnection

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
