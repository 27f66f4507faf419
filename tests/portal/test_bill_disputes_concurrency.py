"""Races on Postgres with real separate connections: a bill is questioned once, and a question racing a payment
leaves one consistent state."""

import pytest

from billing.disputes import DisputeError
from billing.models import Bill, BillDispute
from billing.payments import services
from complaints.models import Complaint
from portal.bill_disputes import question_bill
from tests.factories.billing import BillFactory
from tests.factories.complaints import category
from tests.payments.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bill(customer_connection):
    category("billing")
    return BillFactory(connection=customer_connection, total=50000)


def test_five_taps_at_once_file_one_ticket_and_one_dispute(bill, customer):
    results = run_together(
        *[lambda: question_bill(Bill.objects.get(pk=bill.pk), customer=customer, reason="Terlalu mahal")] * 5
    )

    assert sum(not isinstance(result, Exception) for result in results) == 1
    assert sum(isinstance(result, DisputeError) for result in results) == 4
    assert BillDispute.objects.count() == 1
    assert Complaint.objects.get().ticket == BillDispute.objects.get().ticket


@pytest.mark.parametrize("round_", range(3))
def test_a_question_racing_cash_at_the_counter_ends_consistent(bill, customer, counter_user, round_):
    def pay():
        return services.take_cash(
            bill.connection, cashier=counter_user, bill_ids=[bill.pk], expected_total=50000, tendered=50000
        )

    def question():
        return question_bill(Bill.objects.get(pk=bill.pk), customer=customer, reason="Terlalu mahal")

    paid, questioned = run_together(pay, question)

    bill.refresh_from_db()
    dispute = BillDispute.objects.get()
    assert not isinstance(questioned, Exception)
    if isinstance(paid, Exception):  # the hold came first: the cashier is told, nothing is taken
        assert (bill.status, dispute.status_before) == (Bill.Status.DISPUTED, Bill.Status.OPEN)
    else:  # the cash came first: the bill stays paid and its question stays open for staff
        assert (bill.status, dispute.status_before) == (Bill.Status.PAID, Bill.Status.PAID)
