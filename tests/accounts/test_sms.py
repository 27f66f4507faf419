"""SMS through Infobip against its local fake: one GSM-7 segment with our own short links, reports and replies."""

import json

import pytest
from django.urls import reverse

from accounts import gsm7, outbox, shortlinks
from accounts.models import InboundMessage, Notification, UnreachableAddress
from tests.factories.accounts import UserFactory
from tests.fakes import infobip as fake
from tests.fakes.server import serving

pytestmark = pytest.mark.django_db

RECEIPT = {
    "receipt_number": "KW/2026/12/000123",
    "amount": 1250500,
    "account_number": "1001000001",
    "periods": ["2026-11-01"],
    "paid_at": "2026-12-01T06:00:00+08:00",
    "payment_type": "bank_transfer",
    "receipt_url": "http://127.0.0.1:8000/payments/receipts/verify/eyJyIjoxMjN9:1vabcd:Zx0123456789abcdefghijklmnopqrstuvwxyz/",
}


@pytest.fixture
def infobip(settings):
    app = fake.FakeInfobip()
    with serving(app) as url:
        fake.settings_for(settings, url)
        yield app


def sms_user(**fields):
    return UserFactory(phone="+6281234567890", notify_email=False, notify_sms=True, **fields)


@pytest.fixture
def queue_receipt(django_capture_on_commit_callbacks):
    """Queue a receipt message and commit, so that it is sent."""

    def queue_receipt(user):
        with django_capture_on_commit_callbacks(execute=True):
            [row] = outbox.notify(user, "billing/receipt", RECEIPT, dedupe_key="sms-test")
        row.refresh_from_db()
        return row

    return queue_receipt


def test_a_receipt_sms_fits_one_gsm7_segment_with_a_short_link(infobip, queue_receipt):
    row = queue_receipt(sms_user(full_name="Budi Santoso"))

    [sent] = infobip.messages
    text = sent["text"]
    assert gsm7.is_gsm7(text)
    assert gsm7.segments(text) == 1
    assert RECEIPT["receipt_url"] not in text
    assert reverse("shortlink", args=[shortlinks.token(row.pk, 0)]) in text
    assert sent["destinations"] == [{"to": "6281234567890"}]
    assert row.status == Notification.Status.SENT


def test_the_short_link_leads_to_the_link_the_long_message_carries(infobip, client, queue_receipt):
    row = queue_receipt(sms_user())

    response = client.get(reverse("shortlink", args=[shortlinks.token(row.pk, 0)]))

    assert response.status_code == 302
    assert response["Location"] == RECEIPT["receipt_url"]


def test_a_forged_short_link_is_not_found(infobip, client, queue_receipt):
    row = queue_receipt(sms_user())
    good = shortlinks.token(row.pk, 0)
    forged = good[:-1] + ("a" if good[-1] != "a" else "b")

    response = client.get(reverse("shortlink", args=[forged]))

    assert response.status_code == 404


def test_typographic_quotes_and_dashes_do_not_push_a_message_out_of_gsm7():
    text = gsm7.fit("Air mati – “sementara” … maaf")

    assert gsm7.is_gsm7(text)
    assert gsm7.segments("x" * 160) == 1
    assert gsm7.segments("é" * 70 + "ğ") == 2


def test_the_sms_asks_infobip_for_delivery_reports_at_our_webhook(infobip, queue_receipt):
    queue_receipt(sms_user())

    [sent] = infobip.messages
    assert sent["notifyUrl"].endswith(reverse("webhooks:sms-reports", args=[fake.WEBHOOK_TOKEN]))
    assert sent["from"] == "TIRTA"


def test_a_rejected_destination_fails_for_good_and_is_marked_unreachable(infobip, queue_receipt):
    infobip.rejected.add("6281234567890")

    row = queue_receipt(sms_user())

    assert row.status == Notification.Status.FAILED
    assert UnreachableAddress.objects.get(channel="sms").address == "+6281234567890"


def report(client, payload, token=fake.WEBHOOK_TOKEN, kind="sms-reports"):
    url = reverse(f"webhooks:{kind}", args=[token])
    return client.post(url, json.dumps(payload), content_type="application/json")


def test_a_delivery_report_is_recorded_on_the_notification(infobip, client, queue_receipt):
    row = queue_receipt(sms_user())

    report(client, fake.report_payload(row.provider_id, "6281234567890"))

    row.refresh_from_db()
    assert row.delivery_status == Notification.DeliveryStatus.DELIVERED


def test_an_undeliverable_report_keeps_the_error_and_a_permanent_one_marks_the_number(infobip, client, queue_receipt):
    row = queue_receipt(sms_user())

    report(client, fake.report_payload(row.provider_id, "6281234567890", "UNDELIVERABLE", permanent_error=True))

    row.refresh_from_db()
    assert row.delivery_status == Notification.DeliveryStatus.FAILED
    assert "EC_ABSENT_SUBSCRIBER" in row.delivery_error
    assert UnreachableAddress.objects.filter(channel="sms", address="+6281234567890").exists()


def test_a_report_with_a_wrong_token_is_refused_and_changes_nothing(infobip, client, queue_receipt):
    row = queue_receipt(sms_user())

    response = report(client, fake.report_payload(row.provider_id, "6281234567890"), token="guessed")

    row.refresh_from_db()
    assert response.status_code == 403
    assert row.delivery_status == ""


def test_replying_berhenti_by_sms_opts_the_number_out_of_sms(db, client, settings):
    settings.SMS_WEBHOOK_TOKEN = fake.WEBHOOK_TOKEN

    report(client, fake.inbound_payload("in-1", "6281234567890", "BERHENTI"), kind="sms-inbound")

    assert InboundMessage.objects.get().text == "BERHENTI"
    assert UnreachableAddress.objects.get(channel="sms").address == "+6281234567890"
