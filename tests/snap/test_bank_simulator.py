"""The bank simulator runs the whole SNAP conversation against a running server, over real HTTP."""

import pytest

from billing.models import Bill
from billing.partners.snap.models import SnapExchange
from billing.payments.models import Payment
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import open_bills_of
from tests.factories.snap import Bank, http_transport, inquiry_body, payment_body, snap_partner, status_body


@pytest.mark.django_db(transaction=True)
def test_a_bank_takes_a_token_inquires_pays_repeats_and_asks_the_status(live_server):
    partner, secret = snap_partner()
    connection = ServiceConnectionFactory(customer__name="Budi Santoso")
    open_bills_of(connection, 50000, 75500)
    bank = Bank(http_transport(live_server.url), partner.partner_id, secret)

    token_status, token = bank.token()
    assert (token_status, token["responseCode"], token["expiresIn"]) == (200, "2007300", "900")

    _, inquiry = bank.call("inquiry", inquiry_body(connection.account_number))
    assert inquiry["responseCode"] == "2002400"
    account = inquiry["virtualAccountData"]
    assert account["totalAmount"] == {"value": "125500.00", "currency": "IDR"}
    assert account["virtualAccountName"] == "BUD* SAN****"
    assert [bill["billAmount"]["value"] for bill in account["billDetails"]] == ["50000.00", "75500.00"]

    _, paid = bank.call("payment", payment_body(connection.account_number, account["totalAmount"]["value"]))
    assert paid["responseCode"] == "2002500"
    assert paid["virtualAccountData"]["paymentFlagStatus"] == "00"
    receipt_number = paid["additionalInfo"]["receiptNumber"]

    _, repeated = bank.call("payment", payment_body(connection.account_number, "125500.00", flagAdvise="Y"))
    assert repeated == paid

    _, status = bank.call("status", status_body(connection.account_number))
    assert status["responseCode"] == "2002600"
    assert status["virtualAccountData"]["paymentFlagStatus"] == "00"
    assert status["additionalInfo"]["receiptNumber"] == receipt_number

    payment = Payment.objects.get()
    assert (payment.status, payment.amount, payment.method_label) == (Payment.Status.PAID, 125500, "VA Contoh")
    assert payment.receipt.number == receipt_number
    assert not Bill.objects.filter(status=Bill.Status.OPEN).exists()
    assert SnapExchange.objects.count() == 5
