"""The database itself keeps bills and their lines consistent: the foreign keys of bill lines and of a
bill's tariff are real constraints, not only ORM conventions (the bill run inserts with raw COPY)."""

from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction
from django.db import connection as db

from billing.models import Bill, BillLine
from tests.factories.billing import BillFactory, BillLineFactory

pytestmark = pytest.mark.django_db


@contextmanager
def refused_by_the_database():
    """The change inside is rejected when the (deferred) constraints are checked, and rolled back."""
    with transaction.atomic():
        yield
        with pytest.raises(IntegrityError):
            db.check_constraints(table_names=["billing_bill", "billing_billline"])
        transaction.set_rollback(True)


def test_a_bill_with_lines_cannot_be_deleted_behind_the_orms_back():
    line = BillLineFactory()
    with refused_by_the_database(), db.cursor() as cursor:
        cursor.execute("DELETE FROM billing_bill WHERE id = %s", [line.bill_id])


def test_a_bill_line_cannot_point_to_a_bill_that_does_not_exist():
    line = BillLineFactory()
    with refused_by_the_database():
        BillLine.objects.filter(pk=line.pk).update(bill_id=line.bill_id + 1000)


def test_a_bill_cannot_name_a_tariff_that_does_not_exist():
    bill = BillFactory()
    with refused_by_the_database():
        Bill.objects.filter(pk=bill.pk).update(tariff_id=bill.tariff_id + 1000)
