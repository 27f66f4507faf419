"""The staff queue's orders are read from indexes, a page at a time: without `complaint_due` the "All" filter sorted
every ticket of the city for each page (115 ms at 36,000 tickets, bench/README.md). On a tiny test table the
planner would rather scan and sort, so both are priced out."""

import pytest
from django.db import connection, transaction

from complaints.services.queries import QueueFilters, staff_queue
from tests.factories.complaints import ComplaintFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def plan_of_first_page(filters: QueueFilters, user) -> str:
    sql, params = staff_queue(filters, user)[:50].query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_every_ticket_due_first_is_read_in_the_order_of_complaint_due(complaints_user):
    ComplaintFactory()
    plan = plan_of_first_page(QueueFilters(status="all"), complaints_user)
    assert "complaint_due " in plan
    assert "Sort" not in plan


def test_open_tickets_due_first_are_read_in_the_order_of_complaint_open_due(complaints_user):
    ComplaintFactory()
    plan = plan_of_first_page(QueueFilters(), complaints_user)
    assert "complaint_open_due" in plan
    assert "Sort" not in plan
