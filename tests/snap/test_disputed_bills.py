"""A partner's inquiry leaves a bill on hold out: it is not owed while its customer's question is checked."""

import pytest

from billing.disputes import open_dispute
from billing.models import Bill
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import open_bills_of
from tests.factories.snap import inquiry_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection(customer):
    connection = ServiceConnectionFactory(customer__name="Siti Rahayu")
    held, _ = open_bills_of(connection, 30000, 45000)
    open_dispute(held, "Too high", by=customer)
    return connection


def test_the_inquiry_total_leaves_the_held_bill_out(bank, connection):
    status, body = bank.call("inquiry", inquiry_body(connection.account_number))

    account = body["virtualAccountData"]
    assert (status, body["responseCode"]) == (200, "2002400")
    assert [bill["billNo"] for bill in account["billDetails"]] == ["202602"]
    assert account["totalAmount"]["value"] == "45000.00"


def test_only_held_bills_left_is_nothing_to_pay_for_the_partner(bank, connection):
    Bill.objects.filter(status=Bill.Status.OPEN).update(status=Bill.Status.PAID)

    status, body = bank.call("inquiry", inquiry_body(connection.account_number))

    assert (status, body["responseCode"]) == (404, "4042414")
