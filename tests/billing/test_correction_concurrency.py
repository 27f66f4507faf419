"""A correction racing a payment of the same bill, on Postgres with separate connections: whichever wins, one
live bill remains and every Rupiah received is on a live bill, in the credit or refunded."""

import pytest

from billing import credit
from billing.billrun import run_bill_run
from billing.corrections import correct_reading
from billing.models import Bill, BillDispute
from billing.payments import services
from billing.payments.models import Payment
from tests.factories.billing import MeterReadingFactory
from tests.factories.corrections import FEBRUARY, JANUARY, billed_connection, questioned
from tests.factories.payments import pending_payment
from tests.payments.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def assert_money_exact(connection) -> None:
    terms = credit.money_accounts(connection)
    assert terms["received"] == terms["allocated"] + terms["balance"] + terms["refunds"], terms
    assert credit.balance_of(connection) == terms["balance"]
    assert Bill.objects.filter(connection=connection, period=JANUARY).exclude(status=Bill.Status.VOID).count() == 1


@pytest.mark.parametrize("round_", range(4))
def test_a_correction_racing_cash_at_the_counter_leaves_the_money_exact(billing_user, counter_user, round_):
    bill = billed_connection(usage=25)
    # Questioned while the counter still shows it open (the hold is the filing's business, not this race's).
    dispute = BillDispute.objects.create(bill=bill, reason="Terlalu mahal", status_before=Bill.Status.OPEN)

    def cash():
        return services.take_cash(
            bill.connection, cashier=counter_user, bill_ids=[bill.pk], expected_total=90000, tendered=90000
        )

    cash_result, replacement = run_together(cash, lambda: correct_reading(dispute.pk, 100, "Salah baca.", billing_user))

    assert isinstance(replacement, Bill)
    replacement.refresh_from_db()
    if isinstance(cash_result, Exception):
        # the correction won: the counter was told and took nothing; the replacement is to pay
        assert isinstance(cash_result, services.PaymentError)
        assert (replacement.status, replacement.total) == (Bill.Status.OPEN, 50000)
    else:
        # the cash won: its 90.000 moved to the replacement, the excess is credit
        assert (replacement.status, replacement.total) == (Bill.Status.PAID, 0)
        assert credit.balance_of(bill.connection) == 40000
    assert_money_exact(bill.connection)


@pytest.mark.parametrize("round_", range(3))
def test_a_correction_racing_an_online_settlement_keeps_every_rupiah(billing_user, round_):
    bill = billed_connection(usage=25)
    online = pending_payment([bill])  # started before the customer questioned the bill
    dispute = questioned(bill)

    settled, replacement = run_together(
        lambda: services.settle(online.pk), lambda: correct_reading(dispute.pk, 100, "Salah baca.", billing_user)
    )

    assert not isinstance(settled, Exception)
    assert isinstance(replacement, Bill)
    assert Payment.objects.get(pk=online.pk).status == Payment.Status.CREDIT
    replacement.refresh_from_db()
    if replacement.status == Bill.Status.OPEN:
        # the correction won: the money arrived afterwards and waits as credit for the next bill
        assert (replacement.total, credit.balance_of(bill.connection)) == (50000, 90000)
    else:
        # the money arrived first (credit, since the bill was on hold) and paid the replacement
        assert (replacement.total, credit.balance_of(bill.connection)) == (0, 40000)
    assert_money_exact(bill.connection)


def test_the_pipelined_bill_run_uses_the_credit_and_keeps_the_money_exact(billing_user, counter_user):
    bill = billed_connection(usage=25)
    services.take_cash(bill.connection, cashier=counter_user, bill_ids=[bill.pk], expected_total=90000, tendered=90000)
    correct_reading(questioned(Bill.objects.get(pk=bill.pk)).pk, 100, "Salah baca.", billing_user)
    MeterReadingFactory(connection=bill.connection, period=FEBRUARY, reading=112, previous_reading=100)

    run_bill_run(FEBRUARY)  # outside a transaction on Postgres: the pipelined run
    run_bill_run(FEBRUARY)  # and again: nothing twice

    february = Bill.objects.get(connection=bill.connection, period=FEBRUARY)
    assert (february.total, february.status) == (1000, Bill.Status.OPEN)
    assert credit.balance_of(bill.connection) == 0
    assert_money_exact(bill.connection)
