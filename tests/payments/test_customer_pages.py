"""The payer's pages: pay buttons, the status page, receipts and their PDFs, the public check."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from billing.models import Bill
from billing.payments import services, tokens
from billing.payments.models import Payment
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import open_bills_of, pending_payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(customer_connection, customer):
    payment = pending_payment(open_bills_of(customer_connection, 50000, 75500), payer=customer)
    return services.settle(payment.pk, payment_type="qris").payment


def pdf_text(content: bytes) -> str:
    """The PDF's words with every run of whitespace as one space: a long name may wrap onto the next line."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def without_spaces(text: str) -> str:
    """pypdf reads a kerned pair as two words ("T alia" for "Talia"), so names are compared without spaces."""
    return "".join(text.split())


# --- starting a payment ---------------------------------------------------------------------------------


def test_the_connection_page_offers_to_pay_the_arrears(customer_client, customer_connection):
    open_bills_of(customer_connection, 50000, 75500)
    body = customer_client.get(reverse("billing:connection", args=[customer_connection.account_number])).content
    assert reverse("payments:pay", args=[customer_connection.account_number]).encode() in body
    assert b"Rp 125.500" in body


def test_paying_a_connection_sends_the_customer_to_the_checkout(customer_client, customer_connection, customer):
    open_bills_of(customer_connection, 50000)
    response = customer_client.post(reverse("payments:pay", args=[customer_connection.account_number]))
    payment = Payment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == payment.checkout_url
    assert (payment.payer, payment.amount, payment.status) == (customer, 50000, Payment.Status.PENDING)


def test_another_customers_connection_cannot_be_paid_through_the_account(client, customer_connection, other_customer):
    open_bills_of(customer_connection, 50000)
    client.force_login(other_customer)
    assert client.post(reverse("payments:pay", args=[customer_connection.account_number])).status_code == 404
    assert not Payment.objects.exists()


def test_paying_needs_post(customer_client, customer_connection):
    assert customer_client.get(reverse("payments:pay", args=[customer_connection.account_number])).status_code == 405


def test_the_public_lookup_offers_to_pay(client):
    connection = ServiceConnectionFactory(account_number="1001000042")
    open_bills_of(connection, 50000)
    body = client.post(reverse("billing:lookup"), {"account_number": "1001000042"}).content.decode()
    assert reverse("payments:pay-public") in body


def test_paying_from_the_lookup_keeps_the_receipt_email(client):
    connection = ServiceConnectionFactory(account_number="1001000042")
    open_bills_of(connection, 50000)
    response = client.post(
        reverse("payments:pay-public"), {"account_number": "1001000042", "email": "warga@example.test"}
    )
    payment = Payment.objects.get()
    assert response["Location"] == payment.checkout_url
    assert (payment.payer, payment.payer_email) == (None, "warga@example.test")


def test_paying_an_account_without_bills_explains_it(client):
    ServiceConnectionFactory(account_number="1001000042")
    response = client.post(reverse("payments:pay-public"), {"account_number": "1001000042"}, follow=True)
    assert "Tidak ada tagihan" in response.content.decode()
    assert not Payment.objects.exists()


def test_paying_an_unknown_account_is_404(client):
    assert client.post(reverse("payments:pay-public"), {"account_number": "9999999999"}).status_code == 404


def test_a_garbled_account_number_is_explained(client):
    response = client.post(reverse("payments:pay-public"), {"account_number": "abc"}, follow=True)
    assert response.status_code == 200
    assert not Payment.objects.exists()


# --- the return page ------------------------------------------------------------------------------------


def test_the_status_page_waits_and_polls_while_pending(client, customer_connection):
    payment = pending_payment(open_bills_of(customer_connection, 50000))
    url = reverse("payments:status", args=[tokens.status_token(payment)])
    body = client.get(url, {"transaction_status": "settlement"}).content.decode()  # the browser's word is ignored
    assert "Menunggu konfirmasi" in body
    assert 'hx-trigger="every 2s"' in body


def test_the_status_partial_shows_the_receipt_once_paid(client, paid):
    url = reverse("payments:status", args=[tokens.status_token(paid)])
    response = client.get(url, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert paid.receipt.number in body
    assert "hx-trigger" not in body


def test_a_forged_status_token_is_404(client):
    assert client.get(reverse("payments:status", args=["forged"])).status_code == 404


def test_the_payer_downloads_the_receipt_from_the_status_page(client, paid):
    response = client.get(reverse("payments:status-receipt-pdf", args=[tokens.status_token(paid)]))
    assert response["Content-Type"] == "application/pdf"
    assert paid.receipt.number in pdf_text(response.content)


# --- receipts ---------------------------------------------------------------------------------------------


def test_the_receipt_pdf_shows_utility_customer_bills_amount_channel_and_time(customer_client, paid):
    text = pdf_text(customer_client.get(reverse("payments:receipt-pdf", args=[paid.receipt.pk])).content)
    for expected in (
        "Perumdam Tirta Sejahtera",
        paid.connection.customer.name,
        paid.connection.account_number,
        "Januari 2026",
        "Februari 2026",
        "Rp 125.500",
        "QRIS",
        paid.receipt.number,
    ):
        assert without_spaces(expected) in without_spaces(text)


def test_the_thermal_receipt_is_80_mm_wide(customer_client, paid):
    content = customer_client.get(reverse("payments:receipt-pdf", args=[paid.receipt.pk]), {"layout": "thermal"})
    width = PdfReader(io.BytesIO(content.content)).pages[0].mediabox.width
    assert round(float(width) / 72 * 25.4) == 80


def test_customers_see_all_their_receipts(customer_client, paid, customer_connection, django_assert_max_num_queries):
    for _ in range(3):
        services.settle(pending_payment([open_bills_of(ServiceConnectionFactory(), 1000)[0]]).pk)
    with django_assert_max_num_queries(8):
        body = customer_client.get(reverse("payments:receipts")).content.decode()
    assert paid.receipt.number in body
    assert body.count("KWT/") == 1  # the three other receipts belong to other connections


def test_the_receipt_list_query_count_does_not_grow(customer_client, customer_connection, django_assert_num_queries):
    for month in range(1, 4):
        [bill] = open_bills_of(ServiceConnectionFactory(), 1000)
        bill.connection = customer_connection
        bill.period = bill.period.replace(month=month + 3)
        bill.save()
        services.settle(pending_payment([bill]).pk)
    customer_client.get(reverse("payments:receipts"))
    with django_assert_num_queries(2):  # the user and the receipts; the session comes from the cache
        customer_client.get(reverse("payments:receipts"))


@pytest.mark.parametrize("name", ["payments:receipt-pdf", "payments:receipt-print"])
def test_another_customers_receipt_is_404(client, paid, other_customer, name):
    client.force_login(other_customer)
    assert client.get(reverse(name, args=[paid.receipt.pk])).status_code == 404


@pytest.mark.parametrize("name", ["payments:receipt-pdf", "payments:receipt-print"])
def test_strangers_are_sent_to_sign_in_for_a_receipt(client, paid, name):
    response = client.get(reverse(name, args=[paid.receipt.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_staff_without_the_receipt_permission_get_404(client, paid, field_user):
    client.force_login(field_user)
    assert client.get(reverse("payments:receipt-print", args=[paid.receipt.pk])).status_code == 404


def test_the_dashboard_links_to_the_receipts(customer_client):
    assert reverse("payments:receipts").encode() in customer_client.get(reverse("portal:dashboard")).content


# --- verification behind the QR code ----------------------------------------------------------------------


def test_the_verification_link_confirms_a_genuine_receipt_with_the_name_masked(client, paid):
    body = client.get(reverse("payments:verify", args=[tokens.receipt_token(paid.receipt)])).content.decode()
    assert "Kuitansi asli" in body
    assert paid.receipt.number in body
    assert paid.connection.customer.name not in body


def test_the_verification_link_says_when_a_receipt_is_void(client, paid, supervisor):
    services.reverse(paid.pk, supervisor=supervisor, reason="Dibatalkan")
    paid.receipt.refresh_from_db()
    body = client.get(reverse("payments:verify", args=[tokens.receipt_token(paid.receipt)])).content.decode()
    assert "DIBATALKAN" in body


def test_a_forged_verification_link_is_404(client, paid):
    token = tokens.receipt_token(paid.receipt)
    assert client.get(reverse("payments:verify", args=[token[:-2] + "xx"])).status_code == 404


def test_paying_from_the_lookup_is_rate_limited(client, settings):
    settings.BILL_LOOKUP_RATE = "2/m"
    connection = ServiceConnectionFactory(account_number="1001000042")
    open_bills_of(connection, 50000)
    for _ in range(2):
        client.post(reverse("payments:pay-public"), {"account_number": "1001000042"})
    response = client.post(reverse("payments:pay-public"), {"account_number": "1001000042"}, follow=True)
    assert "Terlalu banyak" in response.content.decode()
    assert Payment.objects.count() == 2


def test_a_bad_receipt_email_is_explained(client):
    connection = ServiceConnectionFactory(account_number="1001000042")
    open_bills_of(connection, 50000)
    response = client.post(
        reverse("payments:pay-public"), {"account_number": "1001000042", "email": "bukan-email"}, follow=True
    )
    assert "alamat email yang valid" in response.content.decode()
    assert not Payment.objects.exists()


def test_customers_download_all_their_receipts_at_once(customer_client, paid, customer_connection):
    [bill] = open_bills_of(ServiceConnectionFactory(), 1000)
    Bill.objects.filter(pk=bill.pk).update(connection=customer_connection, period=datetime.date(2026, 5, 1))
    second = services.settle(pending_payment([Bill.objects.get(pk=bill.pk)]).pk).payment
    services.settle(pending_payment(open_bills_of(ServiceConnectionFactory(), 1000)).pk)  # someone else's
    response = customer_client.get(reverse("payments:receipt-archive"))
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(names) == sorted(f"kuitansi-{r.number.replace('/', '-')}.pdf" for r in (paid.receipt, second.receipt))


def test_the_receipt_archive_needs_sign_in(client):
    assert client.get(reverse("payments:receipt-archive")).status_code == 302
