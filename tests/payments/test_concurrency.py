"""Races on Postgres with real separate connections: nothing is ever paid twice, numbered twice or lost."""

import threading

import pytest
from django.db import connection as db
from django.test import Client

from accounts.models import Notification
from billing.models import Bill
from billing.payments import services
from billing.payments.models import Payment, PaymentBill, PaymentNotification, Receipt
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import notification, open_bills_of, pending_payment, post_notification

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*targets) -> list:
    """Start every target at the same moment, each on its own thread and database connection."""
    barrier = threading.Barrier(len(targets))
    results: list = [None] * len(targets)

    def run(index: int, target) -> None:
        try:
            barrier.wait()
            results[index] = target()
        except Exception as exc:  # returned for the assertions to inspect
            results[index] = exc
        finally:
            db.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_thirty_identical_paid_notifications_at_once_settle_once(customer):
    connection = customer.connections.get()
    payment = pending_payment(open_bills_of(connection, 50000, 75500), payer=customer)
    body = notification(payment)

    statuses = run_together(*[lambda: post_notification(Client(), body).status_code] * 30)

    assert statuses == [200] * 30
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PAID
    assert Receipt.objects.count() == 1
    assert Notification.objects.filter(template="billing/receipt").count() == 1
    assert PaymentNotification.objects.filter(outcome="applied").count() == 1
    assert PaymentNotification.objects.count() == 30
    assert PaymentBill.objects.filter(settled=True).count() == 2


def test_concurrent_settlements_number_receipts_without_gaps():
    payments = [pending_payment(open_bills_of(ServiceConnectionFactory(), 10000)) for _ in range(12)]

    run_together(*[lambda p=p: services.settle(p.pk) for p in payments])

    sequences = sorted(Receipt.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 13))


@pytest.mark.parametrize("round_", range(5))
def test_cash_at_the_counter_racing_an_online_settlement_pays_the_bill_once(counter_user, round_):
    connection = ServiceConnectionFactory()
    bills = open_bills_of(connection, 60000)
    online = pending_payment(bills)

    def cash():
        return services.take_cash(
            connection, cashier=counter_user, bill_ids=[bills[0].pk], expected_total=60000, tendered=100000
        )

    cash_result, online_result = run_together(cash, lambda: services.settle(online.pk))

    assert not isinstance(online_result, Exception)
    online.refresh_from_db()
    assert Bill.objects.get(pk=bills[0].pk).status == Bill.Status.PAID
    assert PaymentBill.objects.filter(bill=bills[0], settled=True).count() == 1
    assert Receipt.objects.count() == 1
    if isinstance(cash_result, Exception):
        # the gateway won: the cashier is told, and no cash payment was recorded
        assert isinstance(cash_result, services.PaymentError)
        assert online.status == Payment.Status.PAID
        assert not Payment.objects.filter(provider="counter").exists()
    else:
        # the counter won: the online money is kept as a credit to refund
        assert cash_result.status == Payment.Status.PAID
        assert online.status == Payment.Status.CREDIT
