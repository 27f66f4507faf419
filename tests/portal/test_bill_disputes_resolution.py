"""An answered question about a bill resolves its billing ticket (the customer reads the answer there and rates
it), or without a ticket reaches the customer as a billing message."""

import pytest
from django.utils import translation

from accounts.models import Notification
from billing.corrections import confirm_bill, correct_reading
from billing.models import BillDispute
from billing.payments import services
from complaints.models import Complaint, ComplaintEvent
from tests.factories.accounts import ConnectionLinkFactory
from tests.factories.complaints import ComplaintFactory, category
from tests.factories.corrections import billed_connection, questioned

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def billing_ticket(bill, **fields) -> Complaint:
    return ComplaintFactory(category=category("billing"), connection=bill.connection, **fields)


def test_a_confirmed_bill_resolves_its_ticket_with_the_explanation_as_public_note(billing_user):
    bill = billed_connection()
    ticket = billing_ticket(bill)
    dispute = questioned(bill, ticket=ticket.ticket)

    confirm_bill(dispute.pk, "Pemakaian sesuai foto meter tanggal 3.", billing_user)

    ticket.refresh_from_db()
    assert ticket.status == Complaint.Status.RESOLVED
    event = ComplaintEvent.objects.get(complaint=ticket, to_status=Complaint.Status.RESOLVED)
    assert event.public
    assert event.message == "Pemakaian sesuai foto meter tanggal 3."
    assert event.actor == billing_user
    assert Notification.objects.filter(template="complaints/status_changed").exists()
    assert not Notification.objects.filter(template="billing/bill_answered").exists()


def test_a_corrected_bill_tells_on_the_ticket_what_is_left_to_pay_and_the_credit(billing_user, counter_user):
    bill = billed_connection(usage=25)
    services.take_cash(bill.connection, cashier=counter_user, bill_ids=[bill.pk], expected_total=90000, tendered=90000)
    ticket = billing_ticket(bill, status=Complaint.Status.VERIFIED)
    dispute = questioned(type(bill).objects.get(pk=bill.pk), ticket=ticket.ticket)

    correct_reading(dispute.pk, 100, "Stand meter salah baca.", billing_user)

    event = ComplaintEvent.objects.get(complaint=ticket, to_status=Complaint.Status.RESOLVED)
    assert event.message.startswith("Stand meter salah baca.")
    assert "Rp 0" in event.message
    assert "Rp 40.000" in event.message


def test_the_correction_summary_is_written_in_the_language_of_the_customer_who_asked(billing_user, customer):
    bill = billed_connection(usage=25)
    ticket = billing_ticket(bill, status=Complaint.Status.VERIFIED)
    dispute = questioned(bill, ticket=ticket.ticket)
    customer.language = "en"
    customer.save(update_fields=["language"])
    BillDispute.objects.filter(pk=dispute.pk).update(opened_by=customer)

    with translation.override("id"):  # the billing officer works in Indonesian
        correct_reading(dispute.pk, 100, "The meter was misread.", billing_user)

    event = ComplaintEvent.objects.get(complaint=ticket, to_status=Complaint.Status.RESOLVED)
    assert "has been replaced by a corrected bill" in event.message


def test_without_a_ticket_the_customer_is_told_by_a_billing_message(billing_user, customer):
    bill = billed_connection()
    ConnectionLinkFactory(user=customer, connection=bill.connection)
    dispute = questioned(bill, ticket="")

    confirm_bill(dispute.pk, "Sudah benar.", billing_user)

    message = Notification.objects.get(template="billing/bill_answered")
    assert message.user == customer
    assert message.context["explanation"] == "Sudah benar."


def test_an_unknown_ticket_number_does_not_stop_the_answer(billing_user, customer):
    bill = billed_connection()
    ConnectionLinkFactory(user=customer, connection=bill.connection)
    dispute = questioned(bill, ticket="ADU-2026-404404")

    replacement = correct_reading(dispute.pk, 100, "Salah baca.", billing_user)

    assert replacement.pk is not None
    assert Notification.objects.filter(template="billing/bill_answered", user=customer).exists()


def test_a_ticket_closed_meanwhile_falls_back_to_a_billing_message(billing_user, customer):
    bill = billed_connection()
    ConnectionLinkFactory(user=customer, connection=bill.connection)
    ticket = billing_ticket(bill, status=Complaint.Status.CLOSED)
    dispute = questioned(bill, ticket=ticket.ticket)

    confirm_bill(dispute.pk, "Sudah benar.", billing_user)

    assert Complaint.objects.get(pk=ticket.pk).status == Complaint.Status.CLOSED
    assert Notification.objects.filter(template="billing/bill_answered", user=customer).exists()
