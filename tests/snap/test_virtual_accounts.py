"""Inquiry, payment and status: the amount rule, idempotency, and every refusal that takes no money."""

import pytest

from accounts.models import ServiceConnection
from billing.models import Bill
from billing.partners.snap.models import SnapPayment
from billing.payments import services
from billing.payments.models import Payment, Receipt
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import open_bills_of
from tests.factories.snap import inquiry_body, payment_body, status_body


@pytest.fixture
def connection(db):
    connection = ServiceConnectionFactory(customer__name="Siti Rahayu")
    open_bills_of(connection, 30000, 45000)
    return connection


def test_inquiry_answers_every_open_bill_oldest_first_with_the_holder_masked(bank, connection):
    status, body = bank.call("inquiry", inquiry_body(connection.account_number))

    account = body["virtualAccountData"]
    assert (status, body["responseCode"], account["inquiryStatus"]) == (200, "2002400", "00")
    assert account["virtualAccountName"] == "SIT* RAH***"
    assert [bill["billNo"] for bill in account["billDetails"]] == ["202601", "202602"]
    assert account["totalAmount"]["value"] == "75000.00"


def test_inquiry_of_an_unknown_account_is_an_invalid_virtual_account(bank, db):
    status, body = bank.call("inquiry", inquiry_body("9999999999"))

    assert (status, body["responseCode"]) == (404, "4042412")


def test_inquiry_of_a_closed_connection_is_an_inactive_account(bank, connection):
    ServiceConnection.objects.filter(pk=connection.pk).update(status=ServiceConnection.Status.CLOSED)

    status, body = bank.call("inquiry", inquiry_body(connection.account_number))

    assert (status, body["responseCode"]) == (403, "4032418")


def test_inquiry_with_nothing_to_pay_is_a_paid_bill(bank, connection):
    Bill.objects.update(status=Bill.Status.PAID)

    status, body = bank.call("inquiry", inquiry_body(connection.account_number))

    assert (status, body["responseCode"]) == (404, "4042414")


def test_inquiry_with_another_partners_company_code_is_refused(bank, connection):
    fields = inquiry_body(connection.account_number)
    fields.update(partnerServiceId="   99999", virtualAccountNo="   99999" + connection.account_number)

    status, body = bank.call("inquiry", fields)

    assert (status, body["responseCode"]) == (400, "4002401")


def test_inquiry_without_its_request_id_names_the_missing_field(bank, connection):
    fields = inquiry_body(connection.account_number)
    del fields["inquiryRequestId"]

    status, body = bank.call("inquiry", fields)

    assert (status, body["responseCode"]) == (400, "4002402")
    assert "inquiryRequestId" in body["responseMessage"]


def test_payment_settles_every_open_bill_with_a_receipt_in_the_banks_name(bank, connection):
    status, body = bank.call("payment", payment_body(connection.account_number, "75000.00"))

    payment = Payment.objects.get()
    assert (status, body["responseCode"]) == (200, "2002500")
    assert body["additionalInfo"]["receiptNumber"] == payment.receipt.number
    assert (payment.status, payment.provider, payment.method_label) == (Payment.Status.PAID, "snap", "VA Contoh")
    assert set(Bill.objects.values_list("status", flat=True)) == {Bill.Status.PAID}


def test_payment_of_a_different_amount_is_refused_and_takes_nothing(bank, connection):
    status, body = bank.call("payment", payment_body(connection.account_number, "30000.00"))

    assert (status, body["responseCode"]) == (404, "4042513")
    assert not Payment.objects.exists()
    assert not SnapPayment.objects.exists()
    assert set(Bill.objects.values_list("status", flat=True)) == {Bill.Status.OPEN}


def test_payment_with_sen_is_an_invalid_amount(bank, connection):
    status, body = bank.call("payment", payment_body(connection.account_number, "75000.50"))

    assert (status, body["responseCode"]) == (404, "4042513")
    assert not Payment.objects.exists()


def test_payment_after_the_bills_were_paid_at_the_counter_is_a_paid_bill(bank, connection, counter_user):
    bills = list(connection.bills.order_by("period"))
    services.take_cash(
        connection, cashier=counter_user, bill_ids=[b.pk for b in bills], expected_total=75000, tendered=75000
    )

    status, body = bank.call("payment", payment_body(connection.account_number, "75000.00"))

    assert (status, body["responseCode"]) == (404, "4042514")
    assert Payment.objects.count() == 1
    assert not SnapPayment.objects.exists()


def test_payment_to_an_unknown_account_is_refused(bank, db):
    status, body = bank.call("payment", payment_body("9999999999", "75000.00"))

    assert (status, body["responseCode"]) == (404, "4042512")
    assert not Payment.objects.exists()


def test_a_retried_payment_request_gets_the_first_answer_and_pays_once(bank, connection):
    _, first = bank.call("payment", payment_body(connection.account_number, "75000.00"))

    status, again = bank.call("payment", payment_body(connection.account_number, "75000.00", flagAdvise="Y"))

    assert (status, again) == (200, first)
    assert Receipt.objects.count() == 1


def test_reusing_an_external_id_the_same_day_for_another_request_is_a_conflict(bank, connection):
    bank.call("inquiry", inquiry_body(connection.account_number), external_id="same-id")

    status, body = bank.call("payment", payment_body(connection.account_number, "75000.00"), external_id="same-id")

    assert (status, body["responseCode"]) == (409, "4092500")
    assert not Payment.objects.exists()


def test_repeating_the_same_request_under_its_external_id_is_no_conflict(bank, connection):
    bank.call("inquiry", inquiry_body(connection.account_number), external_id="same-id")

    status, body = bank.call("inquiry", inquiry_body(connection.account_number), external_id="same-id")

    assert (status, body["responseCode"]) == (200, "2002400")


def test_status_of_a_payment_answers_its_receipt(bank, connection):
    _, paid = bank.call("payment", payment_body(connection.account_number, "75000.00"))

    status, body = bank.call("status", status_body(connection.account_number))

    assert (status, body["responseCode"]) == (200, "2002600")
    assert body["virtualAccountData"]["paymentFlagStatus"] == "00"
    assert body["additionalInfo"] == paid["additionalInfo"]


def test_status_of_a_reversed_payment_says_it_no_longer_stands(bank, connection, supervisor):
    bank.call("payment", payment_body(connection.account_number, "75000.00"))
    services.reverse(Payment.objects.get().pk, supervisor=supervisor, reason="bank recalled the transfer")

    _, body = bank.call("status", status_body(connection.account_number))

    assert body["virtualAccountData"]["paymentFlagStatus"] == "01"


def test_status_of_an_unknown_payment_request_is_not_found(bank, connection):
    status, body = bank.call("status", status_body(connection.account_number, "never-sent"))

    assert (status, body["responseCode"]) == (404, "4042601")
