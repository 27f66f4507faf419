"""A bank's calls cost a fixed number of queries, whatever the connection owes: partners call all day."""

import pytest

from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import open_bills_of
from tests.factories.snap import inquiry_body, payment_body

# The token query also reads whether the X-EXTERNAL-ID was used today; a new one is then inserted by one
# statement, with no savepoint around it.
CLAIM_NEW_EXTERNAL_ID = 1


@pytest.fixture
def connection(db):
    connection = ServiceConnectionFactory()
    open_bills_of(connection, 30000, 45000, 52000)
    return connection


def test_an_inquiry_reads_the_token_with_its_partner_and_the_bills_with_their_connection(
    bank, connection, django_assert_num_queries
):
    # token with its partner and the external id's earlier use, the external id, the bills with connection and
    # holder, the stored exchange
    with django_assert_num_queries(1 + CLAIM_NEW_EXTERNAL_ID + 1 + 1):
        status, body = bank.call("inquiry", inquiry_body(connection.account_number))

    assert (status, body["virtualAccountData"]["totalAmount"]["value"]) == (200, "127000.00")


def test_a_retried_payment_is_answered_from_its_record_without_reading_the_bills(
    bank, connection, django_assert_num_queries
):
    status, first = bank.call("payment", payment_body(connection.account_number, "127000.00", "p-1"))
    assert status == 200

    # token with its partner and the external id's earlier use, the external id, the stored answer, the stored
    # exchange
    with django_assert_num_queries(1 + CLAIM_NEW_EXTERNAL_ID + 1 + 1):
        status, again = bank.call("payment", payment_body(connection.account_number, "127000.00", "p-1"))

    assert (status, again) == (200, first)
