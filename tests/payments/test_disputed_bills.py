"""A bill on hold (questioned by its customer) is paid only when the customer asks at the counter."""

import pytest
from django.urls import reverse

from billing.disputes import open_dispute
from billing.models import Bill, BillDispute
from billing.payments import services
from billing.payments.collected import NothingToPay, take_collected
from billing.payments.models import Payment
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import open_bills_of, pending_payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection(db):
    return ServiceConnectionFactory()


@pytest.fixture
def held_and_open(connection, customer):
    held, newer = open_bills_of(connection, 30000, 45000)
    open_dispute(held, "Too high", by=customer)
    held.refresh_from_db()
    return held, newer


def test_paying_online_covers_only_the_open_bills(connection, held_and_open):
    _, newer = held_and_open
    payment = services.start_online_payment(connection, finish_url=lambda p: "")
    assert payment.amount == 45000
    assert list(payment.allocations.values_list("bill_id", flat=True)) == [newer.pk]


def test_a_held_bill_alone_leaves_nothing_to_pay_online(connection, held_and_open):
    _, newer = held_and_open
    Bill.objects.filter(pk=newer.pk).update(status=Bill.Status.PAID)
    with pytest.raises(services.PaymentError):
        services.start_online_payment(connection, finish_url=lambda p: "")


def test_a_gateway_settlement_of_a_bill_put_on_hold_meanwhile_becomes_a_credit(connection, customer):
    (bill,) = open_bills_of(connection, 30000)
    payment = pending_payment([bill])
    open_dispute(bill, "Too high", by=customer)
    settled = services.settle(payment.pk).payment
    bill.refresh_from_db()
    assert (settled.status, bill.status) == (Payment.Status.CREDIT, Bill.Status.DISPUTED)


def test_a_partners_collection_ignores_a_held_bill(connection, held_and_open):
    held, newer = held_and_open
    payment = take_collected(connection, amount=45000, provider="snap", payment_type="va", transaction_id="T1")
    held.refresh_from_db()
    assert list(payment.allocations.values_list("bill_id", flat=True)) == [newer.pk]
    assert held.status == Bill.Status.DISPUTED


def test_a_partner_finds_nothing_to_collect_when_only_held_bills_remain(connection, held_and_open):
    Bill.objects.filter(pk=held_and_open[1].pk).update(status=Bill.Status.PAID)
    with pytest.raises(NothingToPay):
        take_collected(connection, amount=30000, provider="snap", payment_type="va", transaction_id="T1")


def test_cash_refuses_a_held_bill_unless_the_cashier_includes_it(connection, held_and_open, counter_user):
    held, newer = held_and_open
    with pytest.raises(services.PaymentError):
        services.take_cash(
            connection, cashier=counter_user, bill_ids=[held.pk, newer.pk], expected_total=75000, tendered=75000
        )
    assert not Payment.objects.exists()


def test_cash_takes_a_held_bill_when_included_and_its_question_stays_open(connection, held_and_open, counter_user):
    held, newer = held_and_open
    payment = services.take_cash(
        connection,
        cashier=counter_user,
        bill_ids=[held.pk, newer.pk],
        expected_total=75000,
        tendered=80000,
        include_held=True,
    )
    held.refresh_from_db()
    assert (payment.status, payment.amount, held.status) == (Payment.Status.PAID, 75000, Bill.Status.PAID)
    assert BillDispute.objects.get(bill=held).resolved_at is None


def test_cash_may_take_the_held_bill_alone(connection, held_and_open, counter_user):
    held, _ = held_and_open
    payment = services.take_cash(
        connection, cashier=counter_user, bill_ids=[held.pk], expected_total=30000, tendered=30000, include_held=True
    )
    assert payment.amount == 30000


# --- the cash screen ------------------------------------------------------------------------------------


def test_the_cash_screen_shows_a_held_bill_apart_from_the_total(client, counter_user, connection, held_and_open):
    client.force_login(counter_user)
    body = client.get(reverse("payments:counter-cash", args=[connection.pk])).content.decode()
    assert 'data-total="45000"' in body
    assert f'data-held-bill="{held_and_open[0].pk}"' in body
    assert 'name="include_held"' in body


def _screen(held, newer, **extra):
    return {
        "bill_ids": str(newer.pk),
        "expected_total": 45000,
        "held_ids": str(held.pk),
        "held_total": 30000,
        **extra,
    }


def test_the_cashier_includes_the_held_bill_on_the_customers_wish(client, counter_user, connection, held_and_open):
    held, newer = held_and_open
    client.force_login(counter_user)
    url = reverse("payments:counter-cash", args=[connection.pk])
    step_one = client.post(url, _screen(held, newer, tendered=100000, include_held="on")).content.decode()
    assert 'data-to-pay="75000"' in step_one
    assert 'name="include_held" value="on"' in step_one
    client.post(url, _screen(held, newer, tendered=100000, include_held="on", confirm="1"))
    payment = Payment.objects.get()
    assert (payment.amount, payment.change) == (75000, 25000)
    assert set(Bill.objects.values_list("status", flat=True)) == {Bill.Status.PAID}


def test_without_the_tick_the_cash_leaves_the_held_bill_on_hold(client, counter_user, connection, held_and_open):
    held, newer = held_and_open
    client.force_login(counter_user)
    url = reverse("payments:counter-cash", args=[connection.pk])
    client.post(url, _screen(held, newer, tendered=50000, confirm="1"))
    held.refresh_from_db()
    assert Payment.objects.get().amount == 45000
    assert held.status == Bill.Status.DISPUTED


def test_reversing_cash_for_a_held_bill_puts_it_back_on_hold(connection, held_and_open, counter_user, supervisor):
    held, newer = held_and_open
    payment = services.take_cash(
        connection,
        cashier=counter_user,
        bill_ids=[held.pk, newer.pk],
        expected_total=75000,
        tendered=75000,
        include_held=True,
    )
    services.reverse(payment.pk, supervisor=supervisor, reason="wrong account")
    held.refresh_from_db()
    newer.refresh_from_db()
    assert (held.status, newer.status) == (Bill.Status.DISPUTED, Bill.Status.OPEN)
