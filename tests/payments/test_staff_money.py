"""Staff and payments: reversal from the account page, truthful links, the credits page in the staff navigation,
and one count of the day's money on the staff home and in the cash report, overpayments shown as such."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import AuditEntry
from billing.payments import services
from billing.payments.models import Payment
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import open_bills_of, pending_payment

pytestmark = pytest.mark.django_db

HOME = reverse("portal:staff-home")


@pytest.fixture
def connection():
    return ServiceConnectionFactory(account_number="1001000042")


@pytest.fixture
def paid(connection):
    return services.settle(pending_payment(open_bills_of(connection, 50000, 75500)).pk).payment


def _perms(*codenames):
    return Permission.objects.filter(content_type__app_label="billing", codename__in=codenames)


def account_url(connection) -> str:
    return reverse("portal:staff-account", args=[connection.account_number])


# --- reversal from the account page -----------------------------------------------------------------------


def test_a_supervisor_finds_the_reversal_on_the_account_pages_payments(client, supervisor, paid, connection):
    client.force_login(supervisor)
    body = client.get(account_url(connection)).content.decode()
    assert f'href="{reverse("payments:reverse", args=[paid.pk])}"' in body


def test_a_cashier_is_offered_no_reversal_on_the_account_page(client, counter_user, paid, connection):
    client.force_login(counter_user)
    body = client.get(account_url(connection)).content.decode()
    assert reverse("payments:reverse", args=[paid.pk]) not in body


def test_a_reversed_payment_is_offered_no_second_reversal(client, supervisor, paid, connection):
    services.reverse(paid.pk, supervisor=supervisor, reason="Salah sambungan")
    client.force_login(supervisor)
    body = client.get(account_url(connection)).content.decode()
    assert reverse("payments:reverse", args=[paid.pk]) not in body


def test_reversing_returns_to_the_account_page_with_the_reason_audited(client, supervisor, paid, connection):
    client.force_login(supervisor)
    response = client.post(reverse("payments:reverse", args=[paid.pk]), {"reason": "Salah input sambungan"})
    assert response["Location"] == account_url(connection)
    paid.refresh_from_db()
    assert (paid.status, paid.reversal_reason) == (Payment.Status.REVERSED, "Salah input sambungan")
    entry = AuditEntry.objects.get(action="payment.reverse")
    assert (entry.actor, entry.connection) == (supervisor, connection)
    assert "Salah input sambungan" in entry.summary


def test_reversing_from_the_cash_screen_returns_to_the_cash_screen(client, supervisor, paid, connection):
    client.force_login(supervisor)
    cash_screen = reverse("payments:counter-cash", args=[connection.pk])
    assert f"{reverse('payments:reverse', args=[paid.pk])}?back=cash" in client.get(cash_screen).content.decode()
    url = f"{reverse('payments:reverse', args=[paid.pk])}?back=cash"
    response = client.post(url, {"reason": "Uang palsu"})
    assert response["Location"] == cash_screen
    paid.refresh_from_db()
    assert paid.status == Payment.Status.REVERSED


def test_the_reversal_form_leads_back_to_the_account(client, supervisor, paid, connection):
    client.force_login(supervisor)
    body = client.get(reverse("payments:reverse", args=[paid.pk])).content.decode()
    assert f'href="{account_url(connection)}">Kembali ke data pelanggan</a>' in body


# --- truthful links -----------------------------------------------------------------------------------------


def test_the_receipts_back_link_opens_the_account_it_names(client, counter_user, paid, connection):
    client.force_login(counter_user)
    body = client.get(reverse("payments:receipt-print", args=[paid.receipt.pk])).content.decode()
    assert f'href="{account_url(connection)}">Kembali ke data pelanggan</a>' in body
    assert f'href="{reverse("payments:counter-cash", args=[connection.pk])}">Layar kas</a>' in body


def test_staff_without_the_till_get_no_cash_screen_link_on_a_receipt(client, supervisor, paid, connection):
    supervisor.groups.clear()
    supervisor.user_permissions.add(*_perms("view_receipt"))
    client.force_login(supervisor)
    body = client.get(reverse("payments:receipt-print", args=[paid.receipt.pk])).content.decode()
    assert reverse("payments:counter-cash", args=[connection.pk]) not in body


def test_the_staff_navigation_links_the_credits_page_for_supervisors(client, supervisor):
    client.force_login(supervisor)
    body = client.get(HOME).content.decode()
    assert f'href="{reverse("payments:credits")}"' in body
    assert f'href="{reverse("payments:cash-report")}"' in body


def test_cashiers_get_no_credits_link(client, counter_user):
    client.force_login(counter_user)
    assert reverse("payments:credits") not in client.get(HOME).content.decode()


# --- one count of the day's money ------------------------------------------------------------------------------


@pytest.fixture
def day_with_an_overpayment():
    """Three online payments and a fourth for bills already paid: the issue's Rp 433.100 + Rp 195.100."""
    for total in (150_000, 133_100, 150_000):
        services.settle(pending_payment(open_bills_of(ServiceConnectionFactory(), total)).pk, payment_type="qris")
    bills = open_bills_of(ServiceConnectionFactory(), 195_100)
    services.settle(pending_payment(bills).pk, payment_type="qris")
    credit = services.settle(pending_payment(bills).pk, payment_type="qris").payment
    assert credit.status == Payment.Status.CREDIT
    return credit


def home_figures(client) -> dict:
    return {figure.label: figure for figure in client.get(HOME).context["figures"]}


def test_the_staff_home_counts_the_payments_the_cash_report_counts(client, supervisor, day_with_an_overpayment):
    client.force_login(supervisor)
    figures = home_figures(client)
    report = client.get(reverse("payments:cash-report")).context["report"]
    assert (report.count, report.total) == (5, 823_300)
    assert figures["Diterima hari ini: daring (sandbox) (5 pembayaran)"].value == "Rp 823.300"


def test_the_staff_home_shows_the_overpayment_as_money_to_refund(client, supervisor, day_with_an_overpayment):
    client.force_login(supervisor)
    figure = home_figures(client)["Di antaranya kelebihan bayar untuk dikembalikan (1 pembayaran)"]
    assert figure.value == "Rp 195.100"
    assert figure.url == reverse("payments:credits")
    assert figure.urgent


def test_the_cash_report_shows_overpayments_as_such(client, supervisor, day_with_an_overpayment):
    client.force_login(supervisor)
    body = client.get(reverse("payments:cash-report")).content.decode()
    assert "Di antaranya kelebihan bayar untuk dikembalikan: Rp 195.100" in body
    csv_rows = client.get(reverse("payments:cash-report"), {"format": "csv"}).content.decode().splitlines()
    assert csv_rows[-1].endswith(",823300,0,823300,195100")


def test_a_day_without_overpayments_shows_none(client, supervisor, paid):
    client.force_login(supervisor)
    assert not [label for label in home_figures(client) if "kelebihan" in label]
