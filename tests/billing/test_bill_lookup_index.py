"""A connection's bills are read through an index: since live bills are unique per period only in a partial index
(0009), `bill_connection_period` (0013) serves the lookups by connection that do not repeat its condition (the
connection page, the staff account page, the latest bill). On a tiny test table the planner would rather scan, so
scans are priced out; bench/README.md shows the plans at 100,000 connections."""

import pytest
from django.db import connection, transaction

from billing.models import Bill
from tests.factories.billing import BillFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_bills_of_a_connection_newest_first_are_read_from_the_connection_index():
    bill = BillFactory()
    plan = plan_of(Bill.objects.filter(connection=bill.connection_id).order_by("-period")[:12])
    assert "bill_connection_period" in plan
    assert "Seq Scan" not in plan


def test_a_connection_s_bills_in_the_default_order_use_the_same_index():
    bill = BillFactory()
    plan = plan_of(bill.connection.bills.all())
    assert "bill_connection_period" in plan
