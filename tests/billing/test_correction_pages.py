"""Billing staff answer questioned bills on their own page; customers see the corrected bill and their credit."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from billing import credit
from billing.corrections import correct_reading
from billing.models import Bill, BillDispute
from billing.payments import services
from billing.payments.models import CreditEntry
from tests.factories.accounts import ConnectionLinkFactory
from tests.factories.corrections import billed_connection, questioned

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def page(dispute: BillDispute) -> str:
    return reverse("billing:dispute_staff", args=[dispute.pk])


def paid_and_questioned(counter_user, usage: int = 25) -> BillDispute:
    bill = billed_connection(usage=usage)
    services.take_cash(
        bill.connection, cashier=counter_user, bill_ids=[bill.pk], expected_total=bill.total, tendered=bill.total
    )
    return questioned(Bill.objects.get(pk=bill.pk))


def test_the_dispute_page_shows_the_question_bill_readings_and_usage(client, billing_user):
    dispute = questioned(billed_connection(), reason="Rumah kosong bulan itu")
    client.force_login(billing_user)

    body = client.get(page(dispute)).content.decode()

    assert "Rumah kosong bulan itu" in body
    assert "Rp 90.000" in body
    assert "110" in body  # the reading
    assert body.count("<rect") == 1  # one month of usage so far
    assert 'value="confirm"' in body
    assert 'value="correct"' in body


def test_only_staff_who_answer_billing_questions_open_the_page(client, counter_user, complaints_user):
    dispute = questioned(billed_connection())
    for user in (counter_user, complaints_user):
        client.force_login(user)
        assert client.get(page(dispute)).status_code == 403


def test_the_dispute_page_query_count_does_not_grow_with_history(client, billing_user, django_assert_max_num_queries):
    dispute = questioned(billed_connection())
    client.force_login(billing_user)
    client.get(page(dispute))
    with django_assert_max_num_queries(14):
        assert client.get(page(dispute)).status_code == 200


def test_the_open_questions_list_takes_the_same_queries_however_many(
    client, billing_user, django_assert_max_num_queries
):
    questioned(billed_connection())
    client.force_login(billing_user)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("billing:dispute_list"))
    for _ in range(3):
        questioned(billed_connection())
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(reverse("billing:dispute_list")).content.decode()
    assert body.count("data-dispute=") == 4


def test_the_officer_confirms_with_an_explanation(client, billing_user):
    dispute = questioned(billed_connection())
    client.force_login(billing_user)

    response = client.post(page(dispute), {"action": "confirm", "confirm-explanation": "Sesuai foto meter."})

    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.outcome == BillDispute.Outcome.CONFIRMED
    assert Bill.objects.get(pk=dispute.bill_id).status == Bill.Status.OPEN


def test_the_preview_shows_the_replacement_lines_and_changes_nothing(client, billing_user, counter_user):
    dispute = paid_and_questioned(counter_user)
    client.force_login(billing_user)

    response = client.post(
        page(dispute), {"action": "preview", "correct-reading": "100", "correct-explanation": "Salah baca."}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "data-preview" in body
    assert "Rp 50.000" in body  # the replacement's total, all of it paid by the released Rp 90.000
    assert Bill.objects.filter(connection=dispute.bill.connection).count() == 1
    assert BillDispute.objects.get(pk=dispute.pk).resolved_at is None


def test_the_officer_corrects_the_reading_and_the_bill_is_replaced(client, billing_user, counter_user):
    dispute = paid_and_questioned(counter_user)
    client.force_login(billing_user)

    response = client.post(
        page(dispute), {"action": "correct", "correct-reading": "100", "correct-explanation": "Salah baca."}
    )

    assert response.status_code == 302
    old = Bill.objects.get(pk=dispute.bill_id)
    assert old.status == Bill.Status.VOID
    assert old.replaced_by.usage == 15
    assert credit.balance_of(old.connection) == 40000
    answered = client.get(page(dispute)).content.decode()
    assert 'data-answered="corrected"' in answered
    assert 'value="correct"' not in answered


@pytest.mark.parametrize(
    "data",
    [
        {"action": "correct", "correct-reading": "80", "correct-explanation": "x"},  # below the previous reading
        {"action": "correct", "correct-reading": "abc", "correct-explanation": "x"},
        {"action": "correct", "correct-reading": "100", "correct-explanation": ""},
        {"action": "confirm", "confirm-explanation": ""},
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(client, billing_user, data):
    dispute = questioned(billed_connection())
    client.force_login(billing_user)

    response = client.post(page(dispute), data)

    assert response.status_code == 400
    assert b"error" in response.content
    assert Bill.objects.get(pk=dispute.bill_id).status == Bill.Status.DISPUTED
    assert BillDispute.objects.get(pk=dispute.pk).resolved_at is None


def test_the_open_questions_are_listed_and_linked_from_the_staff_home(client, billing_user):
    dispute = questioned(billed_connection())
    answered = questioned(billed_connection())
    correct_reading(answered.pk, 100, "Salah baca.", billing_user)
    client.force_login(billing_user)

    body = client.get(reverse("billing:dispute_list")).content.decode()
    home = client.get(reverse("portal:staff-home")).content.decode()

    assert page(dispute) in body
    assert page(answered) not in body
    assert reverse("billing:dispute_list") in home


def test_the_staff_account_page_shows_the_credit_and_its_ledger(client, billing_user, counter_user):
    dispute = paid_and_questioned(counter_user)
    correct_reading(dispute.pk, 100, "Salah baca.", billing_user)
    client.force_login(counter_user)

    body = client.get(reverse("portal:staff-account", args=[dispute.bill.connection.account_number])).content.decode()

    assert "Rp 40.000" in body
    assert "Rp 90.000" in body  # released from the replaced bill
    assert "−Rp 50.000" in body  # used for the replacement
    assert "Record a refund" not in body  # supervisors only


def test_a_supervisor_records_a_refund_and_a_billing_officer_cannot(client, billing_user, counter_user, supervisor):
    dispute = paid_and_questioned(counter_user)
    correct_reading(dispute.pk, 100, "Salah baca.", billing_user)
    number = dispute.bill.connection.account_number
    url = reverse("billing:credit-refund", args=[number])

    client.force_login(billing_user)
    assert client.post(url, {"amount": "40000", "note": "Transfer BRI"}).status_code == 403
    client.force_login(supervisor)
    account = client.get(reverse("portal:staff-account", args=[number])).content.decode()
    assert url in account  # the refund form, for supervisors
    client.post(url, {"amount": "50000", "note": "Transfer BRI"})
    assert credit.balance_of(dispute.bill.connection) == 40000
    client.post(url, {"amount": "40000", "note": "Transfer BRI"})

    assert credit.balance_of(dispute.bill.connection) == 0
    assert CreditEntry.objects.filter(kind=CreditEntry.Kind.REFUND).count() == 1


def test_the_customer_sees_the_corrected_bill_their_credit_and_not_the_void_one(client, billing_user, counter_user):
    dispute = paid_and_questioned(counter_user)
    replacement = correct_reading(dispute.pk, 100, "Salah baca.", billing_user)
    customer = ConnectionLinkFactory(connection=replacement.connection).user
    client.force_login(customer)

    listing = client.get(reverse("billing:connection", args=[replacement.connection.account_number])).content.decode()
    void_page = client.get(reverse("billing:bill", args=[dispute.bill_id])).content.decode()
    new_page = client.get(reverse("billing:bill", args=[replacement.pk])).content.decode()

    assert reverse("billing:bill", args=[replacement.pk]) in listing
    assert "menggantikan rekening sebelumnya" in listing  # customers read Indonesian
    assert "Saldo kredit Rp 40.000" in listing
    assert "data-replaced" in void_page
    assert reverse("billing:bill", args=[replacement.pk]) in void_page
    assert "data-replaces" in new_page
    assert "Kredit dari pembayaran sebelumnya" in new_page


def test_another_customer_cannot_see_the_replacement(client, billing_user, other_customer):
    replacement = correct_reading(questioned(billed_connection()).pk, 100, "Salah baca.", billing_user)
    client.force_login(other_customer)
    assert client.get(reverse("billing:bill", args=[replacement.pk])).status_code == 404


def test_the_pdf_of_a_replaced_bill_says_not_to_pay_it(client, billing_user):
    bill = billed_connection()
    correct_reading(questioned(bill).pk, 100, "Salah baca.", billing_user)
    customer = ConnectionLinkFactory(connection=bill.connection).user
    client.force_login(customer)

    response = client.get(reverse("billing:bill-pdf", args=[bill.pk]))

    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert "jangan bayar rekening ini" in " ".join(text.split())


def test_the_pdf_shows_a_credit_line_as_an_amount_without_quantity_or_price(client, billing_user, counter_user):
    dispute = paid_and_questioned(counter_user)
    replacement = correct_reading(dispute.pk, 100, "Salah baca.", billing_user)
    client.force_login(ConnectionLinkFactory(connection=replacement.connection).user)

    response = client.get(reverse("billing:bill-pdf", args=[replacement.pk]))

    text = " ".join(PdfReader(BytesIO(response.content)).pages[0].extract_text().split())
    assert "Kredit dari pembayaran sebelumnya" in text
    assert "1 -Rp" not in text
    assert "1 −Rp" not in text
