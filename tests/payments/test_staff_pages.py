"""The counter's cash screen, the end-of-day report, and the supervisor's reversal and credits."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from billing.models import Bill
from billing.payments import services
from billing.payments.models import Payment
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import open_bills_of, pending_payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection():
    return ServiceConnectionFactory(account_number="1001000042")


@pytest.fixture
def bills(connection):
    return open_bills_of(connection, 50000, 75500)


def cash_form(bills, tendered, **extra):
    ids = ",".join(str(bill.pk) for bill in bills)
    return {"bill_ids": ids, "expected_total": sum(b.total for b in bills), "tendered": tendered, **extra}


# --- who may -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("counter_user", 200), ("supervisor", 200), ("billing_user", 403), ("field_user", 403), ("customer", 404)],
)
def test_the_cash_screen_is_for_cashiers_and_supervisors(client, request, connection, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("payments:counter-cash", args=[connection.pk])).status_code == status


def test_strangers_are_sent_to_sign_in_for_the_cash_screen(client, connection):
    response = client.get(reverse("payments:counter-cash", args=[connection.pk]))
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("persona", "status"), [("supervisor", 200), ("counter_user", 403), ("customer", 404)])
def test_only_supervisors_may_reverse(client, request, bills, persona, status):
    payment = services.settle(pending_payment(bills).pk).payment
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("payments:reverse", args=[payment.pk])).status_code == status
    assert client.get(reverse("payments:credits")).status_code == status


def test_a_cashier_cannot_reverse_by_posting(client, bills, counter_user):
    payment = services.settle(pending_payment(bills).pk).payment
    client.force_login(counter_user)
    assert client.post(reverse("payments:reverse", args=[payment.pk]), {"reason": "x"}).status_code == 403
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID


# --- taking cash -----------------------------------------------------------------------------------------


def test_the_cash_screen_shows_open_bills_and_the_total(client, counter_user, connection, bills):
    client.force_login(counter_user)
    body = client.get(reverse("payments:counter-cash", args=[connection.pk])).content.decode()
    assert "Rp 125.500" in body
    assert connection.customer.name in body


def test_the_cash_screen_shows_the_change_before_confirming(client, counter_user, connection, bills):
    client.force_login(counter_user)
    response = client.post(reverse("payments:counter-cash", args=[connection.pk]), cash_form(bills, 150000))
    assert "Rp 24.500" in response.content.decode()
    assert not Payment.objects.exists()


def test_confirming_records_the_payment_and_opens_the_receipt(client, counter_user, connection, bills):
    client.force_login(counter_user)
    response = client.post(
        reverse("payments:counter-cash", args=[connection.pk]), cash_form(bills, 150000, confirm="1")
    )
    payment = Payment.objects.get()
    assert response["Location"] == reverse("payments:receipt-print", args=[payment.receipt.pk])
    assert (payment.cashier, payment.tendered, payment.status) == (counter_user, 150000, Payment.Status.PAID)
    assert set(Bill.objects.values_list("status", flat=True)) == {Bill.Status.PAID}


def test_too_little_cash_is_explained_and_records_nothing(client, counter_user, connection, bills):
    client.force_login(counter_user)
    response = client.post(
        reverse("payments:counter-cash", args=[connection.pk]), cash_form(bills, 100000, confirm="1")
    )
    assert response.status_code == 400
    assert "kurang dari" in response.content.decode()
    assert not Payment.objects.exists()


@pytest.mark.parametrize("tendered", ["", "abc", "-5", "99999999999999"])
def test_nonsense_cash_is_refused_without_error(client, counter_user, connection, bills, tendered):
    client.force_login(counter_user)
    data = cash_form(bills, 0, confirm="1") | {"tendered": tendered}
    assert client.post(reverse("payments:counter-cash", args=[connection.pk]), data).status_code == 400
    assert not Payment.objects.exists()


def test_tampered_bill_ids_are_refused(client, counter_user, connection, bills):
    client.force_login(counter_user)
    data = cash_form(bills, 150000, confirm="1") | {"bill_ids": "1,x"}
    assert client.post(reverse("payments:counter-cash", args=[connection.pk]), data).status_code == 400


def test_a_bill_paid_online_meanwhile_is_reported_to_the_cashier(client, counter_user, connection, bills):
    services.settle(pending_payment(bills).pk)
    client.force_login(counter_user)
    response = client.post(
        reverse("payments:counter-cash", args=[connection.pk]), cash_form(bills, 150000, confirm="1"), follow=True
    )
    assert "baru saja dibayar" in response.content.decode()
    assert not Payment.objects.filter(provider="counter").exists()


def test_the_receipt_prints_in_a4_and_thermal_layouts(client, counter_user, connection, bills):
    client.force_login(counter_user)
    payment = services.take_cash(
        connection, cashier=counter_user, bill_ids=[b.pk for b in bills], expected_total=125500, tendered=130000
    )
    url = reverse("payments:receipt-print", args=[payment.receipt.pk])
    a4 = client.get(url).content.decode()
    thermal = client.get(url, {"layout": "thermal"}).content.decode()
    assert "css/print-a4.css" in a4  # the page sizes themselves: tests/browser/test_receipt_print.py
    assert "css/print-thermal.css" in thermal
    assert payment.receipt.number in thermal
    assert "Rp 4.500" in thermal  # the change


# --- reversal --------------------------------------------------------------------------------------------


def test_a_supervisor_reverses_with_a_reason(client, supervisor, bills):
    payment = services.settle(pending_payment(bills).pk).payment
    client.force_login(supervisor)
    response = client.post(reverse("payments:reverse", args=[payment.pk]), {"reason": "Salah input sambungan"})
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REVERSED
    assert AuditEntry.objects.get(action="payment.reverse").actor == supervisor


def test_a_reversal_without_reason_is_refused(client, supervisor, bills):
    payment = services.settle(pending_payment(bills).pk).payment
    client.force_login(supervisor)
    assert client.post(reverse("payments:reverse", args=[payment.pk]), {"reason": ""}).status_code == 400
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID


def test_credits_are_listed_for_supervisors_and_marked_refunded(client, supervisor, bills):
    services.settle(pending_payment(bills).pk)
    credit = services.settle(pending_payment(bills).pk).payment
    client.force_login(supervisor)
    assert credit.order_id in client.get(reverse("payments:credits")).content.decode()
    client.post(reverse("payments:mark-refunded", args=[credit.pk]), {"reason": "Transfer ke rekening pelanggan"})
    credit.refresh_from_db()
    assert credit.status == Payment.Status.REFUNDED


# --- the end-of-day report --------------------------------------------------------------------------------


@pytest.fixture
def day_of_payments(counter_user, supervisor, bills):
    services.take_cash(
        bills[0].connection,
        cashier=counter_user,
        bill_ids=[b.pk for b in bills],
        expected_total=125500,
        tendered=130000,
    )
    online = open_bills_of(ServiceConnectionFactory(), 20000)
    services.settle(pending_payment(online).pk, payment_type="qris")
    reversed_ = services.settle(pending_payment(open_bills_of(ServiceConnectionFactory(), 10000)).pk).payment
    services.reverse(reversed_.pk, supervisor=supervisor, reason="Uji")


def test_the_report_totals_per_cashier_and_channel(client, supervisor, day_of_payments):
    client.force_login(supervisor)
    body = client.get(reverse("payments:cash-report")).content.decode()
    assert "Kasir Loket" in body
    assert "Tunai" in body
    assert "QRIS (sandbox)" in body
    assert "Rp 155.500" in body  # everything received
    assert "Rp 145.500" in body  # net of the reversal


def test_the_report_as_csv(client, supervisor, day_of_payments):
    client.force_login(supervisor)
    response = client.get(reverse("payments:cash-report"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["date", "cashier", "channel", "payments", "total", "reversed", "net", "overpaid"]
    assert rows[-1][1:] == ["TOTAL", "", "3", "155500", "10000", "145500", "0"]


def test_the_report_as_pdf(client, supervisor, day_of_payments):
    client.force_login(supervisor)
    response = client.get(reverse("payments:cash-report"), {"format": "pdf"})
    assert response.content.startswith(b"%PDF")


def test_a_cashier_sees_only_their_own_takings(client, counter_user, day_of_payments):
    client.force_login(counter_user)
    response = client.get(reverse("payments:cash-report"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[-1][1:] == ["TOTAL", "", "1", "125500", "0", "125500", "0"]


def test_a_garbled_report_date_falls_back_to_today(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("payments:cash-report"), {"date": "kemarin"})
    assert response.status_code == 200
    assert str(timezone.localdate().year) in response.content.decode()


def test_the_report_query_count_does_not_grow(client, supervisor, day_of_payments, django_assert_max_num_queries):
    client.force_login(supervisor)
    with django_assert_max_num_queries(6):
        client.get(reverse("payments:cash-report"))


def test_the_cash_screen_query_count_does_not_grow(client, counter_user, connection, django_assert_max_num_queries):
    for bill in open_bills_of(connection, 1000, 2000, 3000, 4000, 5000):
        services.take_cash(
            connection, cashier=counter_user, bill_ids=[bill.pk], expected_total=bill.total, tendered=bill.total
        )
    open_bills_of(ServiceConnectionFactory(), 1000)
    client.force_login(counter_user)
    with django_assert_max_num_queries(8):
        client.get(reverse("payments:counter-cash", args=[connection.pk]))
