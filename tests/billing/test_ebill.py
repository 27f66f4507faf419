"""The e-bill: paperless connections get each new bill as a signed link, rendered on first open and kept."""

import datetime

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, Notification
from billing import ebill
from billing.models import PaperlessBilling
from tests.factories.accounts import ConnectionLinkFactory
from tests.factories.billing import BillFactory

pytestmark = pytest.mark.django_db
JANUARY = datetime.date(2026, 1, 1)


@pytest.fixture(autouse=True)
def _daytime_and_media(settings, tmp_path):
    settings.NOTIFY_QUIET_HOURS_START = settings.NOTIFY_QUIET_HOURS_END = "00:00"
    settings.MEDIA_ROOT = tmp_path


def paperless_bill(**user):
    link = ConnectionLinkFactory(**{f"user__{name}": value for name, value in user.items()})
    PaperlessBilling.objects.create(connection=link.connection)
    return BillFactory(connection=link.connection, period=JANUARY)


def test_a_paperless_connections_new_bill_is_queued_with_its_signed_link():
    bill = paperless_bill()
    assert ebill.send_ebills(JANUARY) == 1
    row = Notification.objects.get()
    assert (row.template, row.to_address) == ("billing/ebill", bill.connection.links.get().user.email)
    assert ebill.bill_for_token(row.context["ebill_url"].rstrip("/").rsplit("/", 1)[1]) == bill


def test_a_connection_on_paper_gets_no_e_bill():
    BillFactory(connection=ConnectionLinkFactory().connection, period=JANUARY)
    assert ebill.send_ebills(JANUARY) == 0
    assert not Notification.objects.exists()


def test_each_bill_reaches_each_person_once_however_often_it_is_sent():
    paperless_bill()
    ebill.send_ebills(JANUARY)
    assert ebill.send_ebills(JANUARY) == 0
    assert Notification.objects.count() == 1


def test_the_e_bill_goes_by_the_channels_chosen_for_bills():
    paperless_bill(phone="+6281234567890", channel_preferences={"bills": ["sms"]})
    ebill.send_ebills(JANUARY)
    row = Notification.objects.get()
    assert (row.channel, row.to_address) == ("sms", "+6281234567890")


def test_the_signed_link_opens_the_bill_pdf_without_signing_in(client):
    bill = paperless_bill()
    response = client.get(reverse("billing:ebill", args=[ebill.link_token(bill)]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]


def test_the_pdf_is_rendered_on_first_open_and_kept(client, tmp_path):
    bill = paperless_bill()
    url = reverse("billing:ebill", args=[ebill.link_token(bill)])
    first = client.get(url).content
    kept = tmp_path / "ebills" / "2026-01" / f"{bill.pk}.pdf"
    assert kept.read_bytes() == first
    kept.write_bytes(b"%PDF-kept")
    assert client.get(url).content == b"%PDF-kept"


def test_a_forged_link_is_not_found(client):
    bill = paperless_bill()
    forged = signing.dumps(bill.pk, salt="another-purpose")
    assert client.get(reverse("billing:ebill", args=[forged])).status_code == 404


def test_an_expired_link_is_not_found(client, settings):
    bill = paperless_bill()
    settings.EBILL_LINK_DAYS = -1
    assert client.get(reverse("billing:ebill", args=[ebill.link_token(bill)])).status_code == 404


def test_a_customer_goes_paperless_from_their_connection_page(customer_client, customer_connection):
    customer_client.post(reverse("billing:paperless", args=[customer_connection.account_number]), {"paperless": "on"})
    assert PaperlessBilling.objects.get().connection == customer_connection
    page = customer_client.get(reverse("billing:connection", args=[customer_connection.account_number]))
    assert "Kirim tagihan saya di atas kertas lagi" in page.content.decode()


def test_a_customer_cannot_make_another_customers_connection_paperless(client, other_customer, customer_connection):
    client.force_login(other_customer)
    url = reverse("billing:paperless", args=[customer_connection.account_number])
    assert client.post(url, {"paperless": "on"}).status_code == 404
    assert not PaperlessBilling.objects.exists()


def test_staff_send_the_latest_bill_as_an_e_bill_on_demand_and_it_is_audited(client, counter_user):
    link = ConnectionLinkFactory()
    bill = BillFactory(connection=link.connection, period=JANUARY)
    client.force_login(counter_user)
    client.post(reverse("billing:send-ebill", args=[link.connection.account_number]))
    assert Notification.objects.get().dedupe_key.startswith(f"billing:ebill:{bill.pk}:u{link.user.pk}")
    entry = AuditEntry.objects.get(action="billing.ebill_send")
    assert (entry.actor, entry.connection) == (counter_user, link.connection)


def test_staff_without_access_to_bills_cannot_send_an_e_bill(client, field_user):
    link = ConnectionLinkFactory()
    BillFactory(connection=link.connection, period=JANUARY)
    client.force_login(field_user)
    client.post(reverse("billing:send-ebill", args=[link.connection.account_number]))
    assert not Notification.objects.exists()


def test_only_the_whatsapp_copy_carries_the_pdf_and_nothing_is_rendered_in_the_fan_out(tmp_path):
    bill = paperless_bill(
        phone="+6281234567890",
        whatsapp_opt_in_at=timezone.now(),
        channel_preferences={"bills": ["email", "whatsapp", "sms"]},
    )
    ebill.send_ebills(JANUARY)
    files = dict(Notification.objects.values_list("channel", "attachments"))
    assert files == {
        "email": [],
        "sms": [],
        "whatsapp": [{"renderer": "billing.ebill_pdf", "params": {"bill_id": bill.pk}}],
    }
    assert not (tmp_path / "ebills").exists()
