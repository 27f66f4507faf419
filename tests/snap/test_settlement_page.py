"""The supervisors' partner settlement page: a day's SNAP payments, the partner's file compared, and a CSV."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import open_bills_of
from tests.factories.snap import payment_body

HEADER = "business_date,payment_request_id,customer_no,amount\n"


def _paid(bank) -> str:
    connection = ServiceConnectionFactory()
    open_bills_of(connection, 40000)
    bank.call("payment", payment_body(connection.account_number, "40000.00", "P-1"))
    return connection.account_number


def _day_query(partner) -> dict:
    return {"partner": partner.pk, "business_date": timezone.localdate().isoformat()}


def test_a_supervisor_sees_the_days_payments_of_a_partner(bank, bank_partner, supervisor):
    account_number = _paid(bank)
    staff = Client()
    staff.force_login(supervisor)

    response = staff.get(reverse("payments:partner-settlement"), _day_query(bank_partner[0]))

    assert response.status_code == 200
    assert account_number in response.content.decode()
    assert "P-1" in response.content.decode()


def test_an_uploaded_file_shows_what_is_missing_in_tirta(bank, bank_partner, supervisor):
    _paid(bank)
    staff = Client()
    staff.force_login(supervisor)
    day = timezone.localdate()
    upload = SimpleUploadedFile("settlement.csv", (HEADER + f"{day},P-9,1000000099,10000.00\n").encode())

    response = staff.post(
        reverse("payments:partner-settlement"), {**_day_query(bank_partner[0]), "settlement_file": upload}
    )

    page = response.content.decode()
    assert "data-missing-in-tirta" in page
    assert "P-9" in page
    assert "data-missing-in-file" in page


def test_a_malformed_file_is_refused_with_a_message(bank_partner, supervisor):
    staff = Client()
    staff.force_login(supervisor)
    upload = SimpleUploadedFile("settlement.csv", b"nonsense\n")

    response = staff.post(
        reverse("payments:partner-settlement"), {**_day_query(bank_partner[0]), "settlement_file": upload}
    )

    assert response.status_code == 400
    assert "business_date,payment_request_id" in response.content.decode()


def test_the_csv_lists_the_days_payments_with_their_receipts(bank, bank_partner, supervisor):
    account_number = _paid(bank)
    staff = Client()
    staff.force_login(supervisor)

    response = staff.get(reverse("payments:partner-settlement-csv"), _day_query(bank_partner[0]))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["business_date", "payment_request_id", "customer_no", "amount", "receipt_number"]
    assert rows[1][1:4] == ["P-1", account_number, "40000.00"]
    assert rows[1][4].startswith("KWT/")


def test_cashiers_may_not_see_partner_settlements(bank_partner, counter_user):
    staff = Client()
    staff.force_login(counter_user)

    response = staff.get(reverse("payments:partner-settlement-csv"), _day_query(bank_partner[0]))

    assert response.status_code == 403
    assert "payment_request_id" not in response.content.decode()
