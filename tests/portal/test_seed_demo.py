import io
import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import ServiceConnection, User
from billing import demo as billing_demo
from billing.models import Bill
from billing.payments import demo as payments_demo
from billing.payments.models import PaymentBill, Receipt, ReceiptCounter

pytestmark = pytest.mark.django_db


def seed(**options):
    call_command("seed_demo", verbosity=0, **options)


def snapshot():
    return list(
        ServiceConnection.objects.order_by("account_number").values_list(
            "account_number", "customer__name", "address", "customer_class__code", "meter_number", "status"
        )
    )


@pytest.mark.django_db(transaction=True)  # flush between the two runs cannot happen inside a transaction
def test_seeding_is_deterministic_for_a_seed(settings):
    settings.DEBUG = True
    seed(connections=40, seed=7)
    first = snapshot()
    call_command("flush", interactive=False, verbosity=0)
    seed(connections=40, seed=7)
    assert snapshot() == first


def test_the_demo_customer_holds_two_connections_and_staff_have_roles(settings):
    settings.DEBUG = True
    seed(connections=10)
    assert User.objects.get(email="customer@demo.tirta.test").connections.count() == 2
    counter = User.objects.get(email="counter@demo.tirta.test")
    assert counter.is_staff
    assert counter.groups.filter(name="counter").exists()
    assert User.objects.get(email="supervisor@demo.tirta.test").check_password("tirta-demo")


def test_if_empty_leaves_an_existing_database_alone(settings):
    settings.DEBUG = True
    seed(connections=10)
    seed(connections=10, if_empty=True)
    assert ServiceConnection.objects.count() == 10


def test_seeding_refuses_a_production_database_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        seed(connections=10)
    assert not ServiceConnection.objects.exists()
    seed(connections=10, force=True)
    assert ServiceConnection.objects.count() == 10


def test_every_demo_bill_marked_paid_has_one_payment_and_gapless_receipts(settings):
    settings.DEBUG = True
    seed(connections=20)
    paid = Bill.objects.filter(status=Bill.Status.PAID)
    assert paid.exists()
    assert PaymentBill.objects.filter(settled=True).count() == paid.count()
    for year in Receipt.objects.values_list("year", flat=True).distinct():
        sequences = sorted(Receipt.objects.filter(year=year).values_list("sequence", flat=True))
        assert sequences == list(range(1, len(sequences) + 1))


def test_demo_receipts_follow_the_paying_order_and_each_years_counter_ends_at_its_last_receipt(settings):
    settings.DEBUG = True
    seed(connections=20)
    receipts = list(Receipt.objects.order_by("payment__paid_at", "payment__pk").values_list("year", "sequence"))
    for year in {year for year, _ in receipts}:
        in_paying_order = [sequence for receipt_year, sequence in receipts if receipt_year == year]
        assert in_paying_order == sorted(in_paying_order)
        assert ReceiptCounter.objects.get(year=year).last == len(in_paying_order)


def test_seeding_payments_a_second_time_adds_nothing(settings):
    settings.DEBUG = True
    seed(connections=20)
    before = Receipt.objects.count()
    payments_demo.seed(rng=random.Random(1), progress=False, stdout=io.StringIO())
    assert Receipt.objects.count() == before


def test_the_demo_customer_always_has_a_bill_to_pay(settings):
    settings.DEBUG = True
    seed(connections=20)
    holder = User.objects.get(email="customer@demo.tirta.test")
    assert Bill.objects.filter(connection__links__user=holder, status=Bill.Status.OPEN).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # as the command runs: each batch commits, so the indexes are rebuilt
def test_seeding_leaves_every_search_index_in_place(settings):
    settings.DEBUG = True
    expected = {
        "customer_name_words",
        "customer_name_trgm",
        "customer_national_number_trgm",
        "connection_address_trgm",
        "connection_address_words",
    }
    seed(connections=10)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [list(expected)])
        assert {name for (name,) in cursor.fetchall()} == expected


def test_the_demo_customer_has_one_questioned_bill_with_its_ticket(settings):
    from billing.models import BillDispute
    from complaints.models import Complaint

    settings.DEBUG = True
    seed(connections=10)
    dispute = BillDispute.objects.select_related("bill").get()
    assert dispute.opened_by.email == "customer@demo.tirta.test"
    assert Complaint.objects.get(ticket=dispute.ticket).category.code == "billing"
    assert dispute.bill.status in (Bill.Status.DISPUTED, Bill.Status.PAID)


@pytest.mark.django_db(transaction=True)  # flush between the two runs cannot happen inside a transaction
def test_settling_the_years_bills_by_ranges_of_connections_pays_the_same_bills_as_in_one_go(settings, monkeypatch):
    settings.DEBUG = True
    seed(connections=40, seed=7)
    whole = bill_statuses()
    call_command("flush", interactive=False, verbosity=0)
    monkeypatch.setattr(billing_demo, "BATCH", 7)  # six ranges, as a 1,000,000-connection utility has fifty
    seed(connections=40, seed=7)
    assert bill_statuses() == whole
    assert {Bill.Status.PAID, Bill.Status.OPEN} <= {status for *_, status in whole}


def bill_statuses():
    return list(
        Bill.objects.order_by("connection__account_number", "period").values_list(
            "connection__account_number", "period", "status"
        )
    )
