"""Done for the channels: a real Celery worker on Redis delivers through the providers' local fakes, and the
providers' webhooks record what happened next."""

import json
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from complaints.models import Outage
from complaints.services import outages
from complaints.services.outages import NoticeData
from tests.factories.payments import SERVER_KEY, notification, open_bills_of, pending_payment, post_notification
from tests.fakes import infobip as fake_infobip
from tests.fakes import whatsapp as fake_whatsapp
from tests.fakes.server import serving


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not condition():
        time.sleep(0.1)
    return condition()


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
