"""Done for the channels: a real Celery worker on Redis delivers through the providers' local fakes, and the
providers' webhooks record what happened next."""

import datetime
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import InboundMessage, Notification
from billing import ebill
from billing.models import PaperlessBilling
from complaints.models import Outage
from complaints.services import outages
from complaints.services.outages import NoticeData
from tests.factories.accounts import ConnectionLinkFactory
from tests.factories.billing import BillFactory
from tests.factories.payments import SERVER_KEY, notification, open_bills_of, pending_payment, post_notification
from tests.fakes import infobip as fake_infobip
from tests.fakes import postmark as fake_postmark
from tests.fakes import whatsapp as fake_whatsapp
from tests.fakes.server import serving
from tests.services import wait_for

JANUARY = datetime.date(2026, 1, 1)


@pytest.fixture
def daytime_and_media(settings, tmp_path):
    settings.NOTIFY_QUIET_HOURS_START = settings.NOTIFY_QUIET_HOURS_END = "00:00"
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def paperless_bill(*users):
    bill = BillFactory(connection=users[0].connections.get(), period=JANUARY)
    PaperlessBilling.objects.create(connection=bill.connection)
    for user in users[1:]:
        ConnectionLinkFactory(user=user, connection=bill.connection)
    return bill


def on_whatsapp(user, phone):
    user.phone, user.notify_email, user.notify_whatsapp = phone, False, True
    user.whatsapp_opt_in_at = timezone.now()
    user.save()
    return user


def post_whatsapp(payload, secret=fake_whatsapp.APP_SECRET):
    body, signature = fake_whatsapp.signed(payload, secret)
    url = reverse("webhooks:whatsapp")
    return Client().post(url, body, content_type="application/json", headers={"X-Hub-Signature-256": signature})


@pytest.mark.redis
def test_a_worker_sends_a_receipt_as_a_whatsapp_document_and_the_webhook_records_its_delivery(
    celery_worker, customer, settings
):
    graph = fake_whatsapp.FakeGraph()
    customer.phone, customer.notify_email, customer.notify_whatsapp = "+6281234567890", False, True
    customer.whatsapp_opt_in_at = timezone.now()
    customer.save()
    settings.PAYMENT_SERVER_KEY, settings.PAYMENT_PROVIDER = SERVER_KEY, "sandbox"
    with serving(graph) as url:
        fake_whatsapp.settings_for(settings, url)
        payment = pending_payment(open_bills_of(customer.connections.get(), 125500), payer=customer)
        answer = post_notification(Client(), notification(payment))
        assert answer.status_code == 200, answer.content

        assert wait_for(lambda: Notification.objects.filter(status=Notification.Status.SENT).exists()), list(
            Notification.objects.values_list("channel", "status", "last_error")
        )

    row = Notification.objects.get(template="billing/receipt", channel="whatsapp")
    [sent] = graph.messages
    assert sent["template"]["name"] == "tirta_billing_receipt"
    header = sent["template"]["components"][0]["parameters"][0]
    assert header["document"]["filename"].startswith("kuitansi-")
    assert b"%PDF" in graph.media[0]

    forged = post_whatsapp(fake_whatsapp.status_payload(row.provider_id, sent["to"], "read"), secret="forged")
    post_whatsapp(fake_whatsapp.status_payload(row.provider_id, sent["to"], "delivered"))

    row.refresh_from_db()
    assert forged.status_code == 403
    assert row.delivery_status == Notification.DeliveryStatus.DELIVERED


@pytest.mark.redis
def test_a_worker_sends_an_outage_notice_by_sms_and_the_delivery_report_is_recorded(
    celery_worker, customer, supervisor, settings
):
    infobip = fake_infobip.FakeInfobip()
    customer.phone, customer.notify_email, customer.notify_sms = "+6281234567891", False, True
    customer.save()
    area = customer.connections.get().area
    notice = NoticeData(
        kind=Outage.Kind.UNPLANNED,
        title="Perbaikan pipa",
        description="Pipa transmisi bocor.",
        areas=[area],
        starts_at=timezone.now(),
        expected_end_at=timezone.now() + timedelta(hours=4),
    )
    with serving(infobip) as url:
        fake_infobip.settings_for(settings, url)
        outages.publish(supervisor, notice)

        assert wait_for(lambda: Notification.objects.filter(channel="sms", status=Notification.Status.SENT).exists())

    row = Notification.objects.get(template="complaints/outage", channel="sms")
    [sent] = infobip.messages
    assert "Perbaikan pipa" in sent["text"]
    assert sent["destinations"] == [{"to": "6281234567891"}]
    reports = reverse("webhooks:sms-reports", args=[fake_infobip.WEBHOOK_TOKEN])
    forged_url = reverse("webhooks:sms-reports", args=["forged"])
    payload = json.dumps(fake_infobip.report_payload(row.provider_id, "6281234567891"))

    forged = Client().post(forged_url, payload, content_type="application/json")
    Client().post(reports, payload, content_type="application/json")

    row.refresh_from_db()
    assert forged.status_code == 403
    assert row.delivery_status == Notification.DeliveryStatus.DELIVERED


@pytest.mark.redis
def test_a_worker_sends_an_e_bill_by_e_mail_with_its_signed_link_and_the_webhook_records_its_delivery(
    celery_worker, customer, settings, daytime_and_media
):
    postmark = fake_postmark.FakePostmark()
    bill = paperless_bill(customer)
    with serving(postmark) as url:
        fake_postmark.settings_for(settings, url)
        assert ebill.send_ebills(JANUARY) == 1

        assert wait_for(lambda: Notification.objects.filter(status=Notification.Status.SENT).exists()), list(
            Notification.objects.values_list("channel", "status", "last_error")
        )

    row = Notification.objects.get(template="billing/ebill")
    [sent] = postmark.emails
    link = row.context["ebill_url"]
    assert (sent["To"], row.provider_id) == ("Budi Santoso <customer@example.test>", sent["MessageID"])
    assert link in sent["TextBody"]
    assert link in sent["HtmlBody"]
    assert "Attachments" not in sent
    assert not (daytime_and_media / "ebills").exists()  # nobody opened it: no PDF was rendered
    assert ebill.bill_for_token(link.rstrip("/").rsplit("/", 1)[1]) == bill

    webhook = reverse("anymail:postmark_tracking_webhook")
    payload = json.dumps(fake_postmark.delivery_payload(sent["MessageID"], "customer@example.test"))
    forged = Client().post(
        webhook, payload, content_type="application/json", headers={"Authorization": fake_postmark.basic_auth("a:b")}
    )
    answer = Client().post(
        webhook, payload, content_type="application/json", headers={"Authorization": fake_postmark.basic_auth()}
    )

    row.refresh_from_db()
    assert (forged.status_code, answer.status_code) == (400, 200)
    assert row.delivery_status == Notification.DeliveryStatus.DELIVERED


@pytest.mark.redis
def test_a_worker_sends_an_e_bill_as_a_whatsapp_template_with_the_pdf_rendered_once_for_everyone(
    celery_worker, customer, other_customer, settings, daytime_and_media
):
    graph = fake_whatsapp.FakeGraph()
    bill = paperless_bill(on_whatsapp(customer, "+6281234567890"), on_whatsapp(other_customer, "+6281234567892"))
    with serving(graph) as url:
        fake_whatsapp.settings_for(settings, url)
        assert ebill.send_ebills(JANUARY) == 2
        assert not (daytime_and_media / "ebills").exists()  # the fan-out rendered nothing

        sent = Notification.objects.filter(status=Notification.Status.SENT)
        assert wait_for(lambda: sent.count() == 2), list(
            Notification.objects.values_list("channel", "status", "last_error")
        )

    kept = daytime_and_media / "ebills" / "2026-01" / f"{bill.pk}.pdf"
    assert [path.name for path in kept.parent.iterdir()] == [kept.name]  # one render, kept, for both people
    assert len(graph.media) == 2
    assert all(kept.read_bytes() in media for media in graph.media)
    assert {message["to"] for message in graph.messages} == {"6281234567890", "6281234567892"}
    for message in graph.messages:
        assert message["template"]["name"] == "tirta_billing_ebill"
        header = message["template"]["components"][0]["parameters"][0]
        assert header["document"]["filename"] == f"tagihan-{bill.connection.account_number}-2026-01.pdf"

    row = Notification.objects.get(to_address="+6281234567890")
    post_whatsapp(fake_whatsapp.status_payload(row.provider_id, "6281234567890", "delivered"))
    row.refresh_from_db()
    assert row.delivery_status == Notification.DeliveryStatus.DELIVERED


@pytest.mark.redis
def test_a_worker_sends_an_e_bill_as_a_whatsapp_document_inside_the_service_window(
    celery_worker, customer, settings, daytime_and_media
):
    graph = fake_whatsapp.FakeGraph()
    bill = paperless_bill(on_whatsapp(customer, "+6281234567890"))
    InboundMessage.objects.create(
        channel="whatsapp", from_address="+6281234567890", text="Halo", provider_id="wamid.in1"
    )
    with serving(graph) as url:
        fake_whatsapp.settings_for(settings, url)
        ebill.send_ebills(JANUARY)

        assert wait_for(lambda: Notification.objects.filter(status=Notification.Status.SENT).exists()), list(
            Notification.objects.values_list("channel", "status", "last_error")
        )

    [message] = graph.messages
    assert message["type"] == "document"
    assert message["document"]["filename"] == f"tagihan-{bill.connection.account_number}-2026-01.pdf"
    assert Notification.objects.get().context["ebill_url"] in message["document"]["caption"]
    assert b"%PDF" in graph.media[0]
