"""Races on Postgres with real separate connections: a bank's retries and a cashier never pay a bill twice."""

import pytest
from django.test import Client

from billing.partners.snap.models import SnapPayment
from billing.payments import services
from billing.payments.models import Payment, PaymentBill, Receipt
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import open_bills_of
from tests.factories.snap import Bank, client_transport, payment_body, snap_partner
from tests.payments.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _bank() -> Bank:
    partner, secret = snap_partner()
    bank = Bank(client_transport(Client()), partner.partner_id, secret)
    bank.token()
    return bank


def test_fifty_identical_payment_requests_at_once_settle_once():
    bank = _bank()
    connection = ServiceConnectionFactory()
    open_bills_of(connection, 50000, 25000)
    body = payment_body(connection.account_number, "75000.00")

    def pay():
        bank_in_thread = Bank(client_transport(Client()), bank.partner_id, bank.client_secret)
        bank_in_thread.access_token = bank.access_token
        return bank_in_thread.call("payment", body, external_id="same-request")

    answers = run_together(*[pay] * 50)

    assert {status for status, _ in answers} == {200}
    assert len({answer["additionalInfo"]["receiptNumber"] for _, answer in answers}) == 1
    assert Payment.objects.get().status == Payment.Status.PAID
    assert Receipt.objects.count() == 1
    assert SnapPayment.objects.count() == 1
    assert PaymentBill.objects.filter(settled=True).count() == 2


@pytest.mark.parametrize("round_", range(3))
def test_a_bank_payment_racing_cash_at_the_counter_settles_the_bills_once(counter_user, round_):
    bank = _bank()
    connection = ServiceConnectionFactory()
    bills = open_bills_of(connection, 60000)

    def cash():
        return services.take_cash(
            connection, cashier=counter_user, bill_ids=[bills[0].pk], expected_total=60000, tendered=60000
        )

    def by_bank():
        return bank.call("payment", payment_body(connection.account_number, "60000.00"))

    cash_result, (status, answer) = run_together(cash, by_bank)

    assert PaymentBill.objects.filter(bill=bills[0], settled=True).count() == 1
    assert Receipt.objects.count() == 1
    if isinstance(cash_result, services.PaymentError):
        assert answer["responseCode"] == "2002500"
    else:
        assert (status, answer["responseCode"]) == (404, "4042514")
