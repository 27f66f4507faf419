"""Question a bill in one tap: the ticket and the hold are filed together, for the bill's own customer only."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Notification
from billing import self_readings
from billing.billrun import run_bill_run
from billing.disputes import DisputeError
from billing.models import Bill, BillDispute
from complaints.models import Complaint
from portal import bill_disputes
from portal.bill_disputes import question_bill
from tests.billing.self_reading_helpers import IN_WINDOW, MAY, photo, with_history
from tests.complaints.images import jpeg_bytes
from tests.factories.accounts import StaffFactory
from tests.factories.billing import BillFactory, MeterReadingFactory
from tests.factories.complaints import category

pytestmark = pytest.mark.django_db


@pytest.fixture
def bill(customer_connection):
    category("billing")
    MeterReadingFactory(connection=customer_connection, period=datetime.date(2026, 1, 1), reading=140)
    return BillFactory(connection=customer_connection, total=125500, usage=55, due_date=datetime.date(2026, 1, 20))


def question_url(bill) -> str:
    return reverse("portal:question-bill", args=[bill.pk])


# --- the service ------------------------------------------------------------------------------------------


def test_questioning_files_a_billing_ticket_linked_to_the_bill_and_holds_it(bill, customer):
    questioned = question_bill(bill, customer=customer, reason="Pemakaian dua kali lipat")

    complaint, dispute = questioned.complaint, questioned.dispute
    bill.refresh_from_db()
    assert bill.status == Bill.Status.DISPUTED
    assert (complaint.category.code, complaint.reporter, complaint.connection) == ("billing", customer, bill.connection)
    assert dispute.ticket == complaint.ticket
    assert complaint.linked_url == reverse("portal:staff-bill-dispute", args=[dispute.pk])
    assert bill.connection.account_number in complaint.linked_label
    facts = dict(complaint.staff_facts)
    assert "140 m³" in facts["Pembacaan ini"]


def test_the_customer_gets_the_usual_ticket_filed_message(bill, customer):
    complaint = question_bill(bill, customer=customer, reason="Terlalu mahal").complaint
    assert Notification.objects.filter(user=customer, template__startswith="complaints/").exists()
    assert complaint.events.filter(kind="filed").exists()


def test_a_failure_filing_the_ticket_leaves_the_bill_open_and_no_dispute(bill, customer, monkeypatch):
    real = bill_disputes.file_complaint

    def crash_after_writing(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("the ticket could not be finished")

    monkeypatch.setattr(bill_disputes, "file_complaint", crash_after_writing)
    with pytest.raises(RuntimeError):
        question_bill(bill, customer=customer, reason="Terlalu mahal")
    bill.refresh_from_db()
    assert bill.status == Bill.Status.OPEN
    assert not BillDispute.objects.exists()
    assert not Complaint.objects.exists()


def test_a_refused_dispute_files_no_ticket(bill, customer):
    question_bill(bill, customer=customer, reason="Terlalu mahal")
    with pytest.raises(DisputeError):
        question_bill(bill, customer=customer, reason="Masih terlalu mahal")
    assert Complaint.objects.count() == 1


# --- the customer's form ----------------------------------------------------------------------------------


def test_the_bill_page_offers_the_button(customer_client, bill):
    body = customer_client.get(reverse("billing:bill", args=[bill.pk])).content.decode()
    assert f'href="{question_url(bill)}"' in body
    assert "Tagihan ini tampak keliru" in body


def test_another_customer_gets_404(client, other_customer, bill):
    client.force_login(other_customer)
    assert client.get(question_url(bill)).status_code == 404
    assert client.post(question_url(bill), {"reason": "x"}).status_code == 404
    bill.refresh_from_db()
    assert bill.status == Bill.Status.OPEN


def test_staff_get_404_and_no_button(client, counter_user, bill):
    client.force_login(counter_user)
    assert client.get(question_url(bill)).status_code == 404
    assert question_url(bill) not in client.get(reverse("billing:bill", args=[bill.pk])).content.decode()


def test_strangers_are_sent_to_sign_in(client, bill):
    assert client.get(question_url(bill))["Location"].startswith(reverse("accounts:login"))


def test_filing_from_the_form_holds_the_bill_and_shows_the_ticket(customer_client, bill):
    photo = SimpleUploadedFile("meter.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = customer_client.post(question_url(bill), {"reason": "Angka meter saya 120", "photos": photo})

    assert response["Location"] == reverse("billing:bill", args=[bill.pk])
    complaint = Complaint.objects.get()
    assert complaint.photos.count() == 1
    page = customer_client.get(response["Location"]).content.decode()
    assert complaint.ticket in page
    assert reverse("complaints:ticket", args=[complaint.ticket]) in page
    assert "sedang diperiksa" in page.lower()
    assert question_url(bill) not in page


def test_a_question_needs_words_and_changes_nothing(customer_client, bill):
    response = customer_client.post(question_url(bill), {"reason": "  "})
    assert response.status_code == 400
    assert not Complaint.objects.exists()
    bill.refresh_from_db()
    assert bill.status == Bill.Status.OPEN


def test_a_file_that_is_no_photo_is_refused_and_changes_nothing(customer_client, bill):
    fake = SimpleUploadedFile("meter.jpg", b"not an image", content_type="image/jpeg")
    response = customer_client.post(question_url(bill), {"reason": "Terlalu mahal", "photos": fake})
    assert response.status_code == 400
    assert not Complaint.objects.exists()


def test_a_bill_already_questioned_shows_its_ticket_instead_of_the_form(customer_client, bill, customer):
    ticket = question_bill(bill, customer=customer, reason="Terlalu mahal").complaint.ticket
    body = customer_client.get(question_url(bill)).content.decode()
    assert ticket in body
    assert 'name="reason"' not in body
    customer_client.post(question_url(bill), {"reason": "Lagi"})
    assert Complaint.objects.count() == 1


def test_a_paid_bill_can_be_questioned_and_stays_paid(customer_client, bill):
    Bill.objects.filter(pk=bill.pk).update(status=Bill.Status.PAID)
    customer_client.post(question_url(bill), {"reason": "Saya bayar dua kali"})
    bill.refresh_from_db()
    assert bill.status == Bill.Status.PAID
    assert BillDispute.objects.get().status_before == Bill.Status.PAID


def test_questioning_an_open_bill_says_the_late_fee_and_reminders_wait(customer_client, bill):
    response = customer_client.post(question_url(bill), {"reason": "Terlalu mahal"}, follow=True)
    assert "Denda dan pengingat menunggu" in response.content.decode()


def test_questioning_a_paid_bill_says_nothing_of_a_late_fee(customer_client, bill):
    Bill.objects.filter(pk=bill.pk).update(status=Bill.Status.PAID)
    response = customer_client.post(question_url(bill), {"reason": "Saya bayar dua kali"}, follow=True)
    body = response.content.decode()
    assert Complaint.objects.get().ticket in body
    assert "Denda dan pengingat menunggu" not in body


# --- staff side -------------------------------------------------------------------------------------------


def test_the_staff_ticket_page_links_the_questioned_bill(client, complaints_user, bill, customer):
    complaint = question_bill(bill, customer=customer, reason="Terlalu mahal").complaint
    client.force_login(complaints_user)
    body = client.get(reverse("complaints_staff:ticket", args=[complaint.ticket])).content.decode()
    assert f'href="{complaint.linked_url}"' in body
    assert "140 m³" in body


def test_the_staff_link_opens_where_the_bill_is_answered(client, billing_user, bill, customer):
    dispute = question_bill(bill, customer=customer, reason="Terlalu mahal").dispute
    client.force_login(billing_user)
    response = client.get(reverse("portal:staff-bill-dispute", args=[dispute.pk]))
    assert response.status_code == 302
    assert response["Location"] == bill_disputes.staff_page_of(dispute)


def test_customers_cannot_follow_the_staff_link(customer_client, bill, customer):
    dispute = question_bill(bill, customer=customer, reason="Terlalu mahal").dispute
    assert customer_client.get(reverse("portal:staff-bill-dispute", args=[dispute.pk])).status_code == 404


def test_counter_staff_see_the_held_bill_with_the_staff_ticket_link(client, counter_user, bill, customer):
    ticket = question_bill(bill, customer=customer, reason="Terlalu mahal").complaint.ticket
    client.force_login(counter_user)
    body = client.get(reverse("billing:bill", args=[bill.pk])).content.decode()
    assert reverse("complaints_staff:ticket", args=[ticket]) in body


@pytest.mark.postgres
def test_the_photo_of_the_customers_own_stand_is_attached_to_the_ticket_for_staff(
    customer_connection, customer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SELF_READING_FIRST_DAY, settings.SELF_READING_LAST_DAY = 1, 31
    category("billing")
    with_history(customer_connection)
    draft = self_readings.start(customer_connection, 560, photo(), None, user=customer, today=IN_WINDOW)
    self_readings.confirm(draft.pk, checked=False, today=IN_WINDOW)
    self_readings.accept(draft.pk, StaffFactory(role="billing"))
    run_bill_run(MAY)
    bill = Bill.objects.get(connection=customer_connection, period=MAY)

    complaint = question_bill(bill, customer=customer, reason="Stand saya 560, tapi tagihannya terasa tinggi").complaint

    assert complaint.photos.count() == 1
