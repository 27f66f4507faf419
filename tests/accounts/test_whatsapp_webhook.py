"""The WhatsApp webhook: Meta's verification challenge, signed statuses and replies; anything else refused."""

import pytest
from django.urls import reverse

from accounts.models import InboundMessage, Notification, UnreachableAddress
from tests.factories.accounts import UserFactory
from tests.fakes import whatsapp as fake

URL = "webhooks:whatsapp"


@pytest.fixture(autouse=True)
def _secrets(settings):
    settings.WHATSAPP_APP_SECRET = fake.APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = fake.VERIFY_TOKEN


@pytest.fixture
def sent_message(db):
    user = UserFactory(phone="+6281234567890")
    return Notification.objects.create(
        user=user,
        to_address=user.phone,
        channel="whatsapp",
        template="billing/receipt",
        dedupe_key="r1:whatsapp",
        status=Notification.Status.SENT,
        provider_id="wamid.HBgM",
    )


def post(client, payload, secret=fake.APP_SECRET, signature=None):
    body, good = fake.signed(payload, secret)
    headers = {"X-Hub-Signature-256": signature if signature is not None else good}
    return client.post(reverse(URL), body, content_type="application/json", headers=headers)


def test_the_verification_challenge_is_echoed_for_the_right_token(client):
    query = {"hub.mode": "subscribe", "hub.verify_token": fake.VERIFY_TOKEN, "hub.challenge": "1158201444"}

    response = client.get(reverse(URL), query)

    assert response.content == b"1158201444"


def test_the_verification_challenge_is_refused_for_a_wrong_token(client):
    query = {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444"}

    response = client.get(reverse(URL), query)

    assert response.status_code == 403
    assert b"1158201444" not in response.content


def test_a_delivered_status_is_recorded_on_the_notification(client, sent_message):
    response = post(client, fake.status_payload("wamid.HBgM", "6281234567890", "delivered"))

    sent_message.refresh_from_db()
    assert response.status_code == 200
    assert sent_message.delivery_status == Notification.DeliveryStatus.DELIVERED
    assert sent_message.delivery_updated_at is not None


def test_a_late_delivered_status_does_not_undo_read(client, sent_message):
    post(client, fake.status_payload("wamid.HBgM", "6281234567890", "read"))
    post(client, fake.status_payload("wamid.HBgM", "6281234567890", "delivered"))

    sent_message.refresh_from_db()
    assert sent_message.delivery_status == Notification.DeliveryStatus.READ


def test_a_failed_status_keeps_the_providers_error(client, sent_message):
    error = {"code": 131049, "title": "Message not delivered", "error_data": {"details": "ecosystem engagement"}}

    post(client, fake.status_payload("wamid.HBgM", "6281234567890", "failed", [error]))

    sent_message.refresh_from_db()
    assert sent_message.delivery_status == Notification.DeliveryStatus.FAILED
    assert "131049" in sent_message.delivery_error
    assert "ecosystem engagement" in sent_message.delivery_error
    assert not UnreachableAddress.objects.exists()


def test_a_failed_status_for_a_number_without_whatsapp_marks_it_unreachable(client, sent_message):
    error = {"code": 131026, "title": "Message undeliverable"}

    post(client, fake.status_payload("wamid.HBgM", "6281234567890", "failed", [error]))

    assert UnreachableAddress.objects.get(channel="whatsapp").address == "+6281234567890"


def test_a_forged_signature_is_refused_and_changes_nothing(client, sent_message):
    response = post(client, fake.status_payload("wamid.HBgM", "6281234567890", "read"), secret="not-the-secret")

    sent_message.refresh_from_db()
    assert response.status_code == 403
    assert sent_message.delivery_status == ""


def test_an_unsigned_notification_is_refused(client, sent_message):
    response = post(client, fake.status_payload("wamid.HBgM", "6281234567890", "read"), signature="")

    sent_message.refresh_from_db()
    assert response.status_code == 403
    assert sent_message.delivery_status == ""


def test_a_reply_is_stored_once_however_often_meta_sends_it(client, db):
    payload = fake.message_payload("wamid.in7", "6281234567890", "Kapan air mengalir lagi?")

    post(client, payload)
    post(client, payload)

    [message] = InboundMessage.objects.all()
    assert (message.from_address, message.text) == ("+6281234567890", "Kapan air mengalir lagi?")


@pytest.mark.parametrize("word", ["STOP", "berhenti", "Berhenti."])
def test_replying_stop_or_berhenti_opts_the_number_out_of_whatsapp(client, db, word):
    post(client, fake.message_payload("wamid.in8", "6281234567890", word))

    opted_out = UnreachableAddress.objects.get(channel="whatsapp", address="+6281234567890")
    assert "opted out" in opted_out.reason


def test_a_signed_but_malformed_notification_is_a_bad_request(client, db):
    response = post(client, {"entry": [{"changes": [{"value": {"messages": [{"id": "x"}]}}]}]})

    assert response.status_code == 400
    assert not InboundMessage.objects.exists()
