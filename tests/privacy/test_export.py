"""A signed-in customer downloads everything the portal holds about them as one JSON file."""

import datetime
import json

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import outbox
from accounts.models import AuditEntry, LinkAttempt
from billing import credit
from billing.models import BillDispute, SelfReading
from billing.payments import services
from billing.payments.models import CreditEntry
from complaints.models import ComplaintEvent
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.billing import BillFactory
from tests.factories.complaints import ComplaintFactory
from tests.factories.payments import open_bills_of, pending_payment

pytestmark = pytest.mark.django_db


def download(client) -> dict:
    response = client.get(reverse("portal:my-data-download"))
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_the_download_is_one_json_file_to_save(customer_client):
    response = customer_client.get(reverse("portal:my-data-download"))

    assert response["Content-Disposition"].startswith('attachment; filename="tirta-data-pribadi-')
    assert response["Content-Disposition"].endswith('.json"')
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_the_file_holds_the_profile(customer_client, customer):
    data = download(customer_client)

    assert data["format"] == "tirta-personal-data/1"
    assert data["profile"]["email"] == "customer@example.test"
    assert data["profile"]["full_name"] == "Budi Santoso"
    assert data["profile"]["language"] == customer.language


def test_the_file_holds_each_connection_with_its_bills(customer_client, customer_connection):
    BillFactory(connection=customer_connection, total=125500)

    [connection] = download(customer_client)["connections"]

    assert connection["account_number"] == customer_connection.account_number
    assert connection["address"] == customer_connection.address
    assert connection["bills"][0]["period"] == "2026-01"
    assert connection["bills"][0]["total_rp"] == 125500


def test_the_file_holds_the_customers_own_meter_stands_with_their_review(customer_client, customer_connection):
    SelfReading.objects.create(
        connection=customer_connection,
        period=datetime.date(2026, 2, 1),
        reading=1234,
        photo="self-readings/meter.jpg",
        status=SelfReading.Status.REJECTED,
        submitted_at=timezone.now(),
        reviewed_at=datetime.datetime(2026, 2, 3, 9, 0, tzinfo=datetime.UTC),
        reject_reason="Foto buram",
    )

    [connection] = download(customer_client)["connections"]

    assert connection["self_readings"] == [
        {
            "period": "2026-02",
            "meter_reading_m3": 1234,
            "status": "rejected",
            "sent": connection["self_readings"][0]["sent"],
            "reviewed": "2026-02-03T09:00:00+00:00",
            "reason": "Foto buram",
        }
    ]


def test_the_file_holds_the_questions_on_bills_with_their_answer(customer_client, customer, customer_connection):
    bill = BillFactory(connection=customer_connection)
    BillDispute.objects.create(
        bill=bill,
        reason="Pemakaian terlalu tinggi",
        status_before=bill.status,
        opened_by=customer,
        outcome=BillDispute.Outcome.CORRECTED,
        explanation="Stand meter salah catat.",
        resolved_at=timezone.now(),
    )

    [question] = download(customer_client)["connections"][0]["bill_questions"]

    assert question["bill_period"] == "2026-01"
    assert question["asked_by_me"] is True
    assert (question["reason"], question["outcome"], question["explanation"]) == (
        "Pemakaian terlalu tinggi",
        "corrected",
        "Stand meter salah catat.",
    )


def test_the_file_holds_the_credit_entries_of_each_connection(customer_client, customer_connection):
    bill = BillFactory(connection=customer_connection)
    with transaction.atomic():
        credit.add(customer_connection.pk, 40000, CreditEntry.Kind.REPLACED, bill=bill, note="internal note")

    [entry] = download(customer_client)["connections"][0]["credit_entries"]

    assert (entry["kind"], entry["amount_rp"], entry["bill_period"]) == ("replaced", 40000, "2026-01")
    assert "note" not in entry


def test_the_file_holds_payments_with_their_receipt(customer_client, customer, customer_connection):
    payment = pending_payment(open_bills_of(customer_connection, 50000), payer=customer, payer_email="b@example.test")
    receipt = services.settle(payment.pk, payment_type="qris").payment.receipt

    [paid] = download(customer_client)["payments"]

    assert paid["amount_rp"] == 50000
    assert paid["receipt_number"] == receipt.number
    assert paid["receipt_email"] == "b@example.test"
    assert paid["made_by_me"] is True


def test_the_file_holds_the_customers_tickets_with_their_public_timeline(customer_client, customer):
    ticket = ComplaintFactory(reporter=customer, reporter_name="Budi Santoso", reporter_phone="+6281211112222")
    ComplaintEvent.objects.create(complaint=ticket, kind=ComplaintEvent.Kind.UPDATE, message="Tim menuju lokasi.")
    ComplaintEvent.objects.create(complaint=ticket, kind=ComplaintEvent.Kind.NOTE, public=False, message="internal")

    [exported] = download(customer_client)["tickets"]

    assert exported["ticket"] == ticket.ticket
    assert exported["reporter_mobile_number"] == "+6281211112222"
    assert [event["message"] for event in exported["timeline"]] == ["Tim menuju lokasi."]


def test_the_file_holds_the_messages_sent_to_the_customer(customer_client, customer):
    outbox.notify(customer, "accounts/password_reset", {"reset_url": "x"}, dedupe_key="mine")

    [message] = download(customer_client)["messages"]

    assert message["subject"] == "Atur ulang kata sandi Tirta Anda"
    assert message["to"] == customer.email


def test_the_file_holds_the_customers_linking_attempts(customer_client, customer):
    LinkAttempt.objects.create(account_number="1009999999", user=customer, succeeded=False)

    assert download(customer_client)["connection_link_attempts"][0]["account_number"] == "1009999999"


def test_another_persons_contact_details_on_a_shared_connection_stay_out(customer_client, customer_connection):
    ComplaintFactory(connection=customer_connection, reporter_name="Tetangga", reporter_phone="+6281399998888")

    [ticket] = download(customer_client)["tickets"]

    assert ticket["reported_by_me"] is False
    assert "+6281399998888" not in json.dumps(ticket)
    assert "Tetangga" not in json.dumps(ticket)


def test_another_customers_data_is_not_in_the_file(customer_client, other_customer):
    BillFactory(connection=other_customer.connections.get(), total=777777)
    ComplaintFactory(reporter=other_customer, reporter_name="Siti Aminah")

    body = customer_client.get(reverse("portal:my-data-download")).content.decode()

    assert "777777" not in body
    assert "Siti Aminah" not in body
    assert other_customer.connections.get().account_number not in body


def test_each_download_is_audited(customer_client, customer):
    customer_client.get(reverse("portal:my-data-download"))

    assert AuditEntry.objects.filter(action="account.export", actor=customer, object_id=str(customer.pk)).count() == 1


def test_the_download_costs_the_same_queries_however_much_data(
    customer_client, customer, customer_connection, django_assert_max_num_queries
):
    def add_data(n: int) -> None:
        connection = ServiceConnectionFactory()
        connection.links.create(user=customer)
        for month in range(1, 4):
            BillFactory(connection=connection, period=datetime.date(2025, month, 1))
        payment = pending_payment(open_bills_of(connection, 10000 + n), payer=customer)
        services.settle(payment.pk, payment_type="qris")
        ComplaintFactory(reporter=customer, connection=connection)
        bill = BillFactory(connection=connection, period=datetime.date(2024, 12, 1))
        BillDispute.objects.create(bill=bill, reason="Mahal", status_before=bill.status, opened_by=customer)
        SelfReading.objects.create(connection=connection, period=bill.period, reading=n, photo="self-readings/m.jpg")
        with transaction.atomic():
            credit.add(connection.pk, 1000, CreditEntry.Kind.REPLACED, bill=bill)
        outbox.notify(customer, "accounts/password_reset", {"reset_url": "x"}, dedupe_key=f"k{n}")

    add_data(0)
    with django_assert_max_num_queries(30) as few:
        customer_client.get(reverse("portal:my-data-download"))
    for n in range(1, 6):
        add_data(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        customer_client.get(reverse("portal:my-data-download"))


def test_strangers_are_sent_to_sign_in(client):
    assert client.get(reverse("portal:my-data-download"))["Location"].startswith(reverse("accounts:login"))


def test_staff_have_no_customer_export(client, counter_user):
    client.force_login(counter_user)

    assert client.get(reverse("portal:my-data-download")).status_code == 404
