"""E-mail through django-anymail: one layout (HTML and text), one-click unsubscribe, and the provider's tracking
webhook (Postmark's, as documented) recording delivery and hard bounces."""

import base64
import json

import pytest
from django.core import mail
from django.urls import reverse

from accounts import email_layout, outbox
from accounts.models import Notification, UnreachableAddress
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db
WEBHOOK_SECRET = "postmark:hook-secret"


@pytest.fixture(autouse=True)
def _anymail(settings, test_templates):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.ANYMAIL = {"WEBHOOK_SECRET": WEBHOOK_SECRET}


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def send(user, template="test/hello", context=None, key="mail-1"):
        with django_capture_on_commit_callbacks(execute=True):
            [row] = outbox.notify(user, template, context or {"code": "77"}, dedupe_key=key)
        row.refresh_from_db()
        return row

    return send


def postmark(client, payload, secret=WEBHOOK_SECRET):
    auth = base64.b64encode(secret.encode()).decode()
    return client.post(
        reverse("anymail:postmark_tracking_webhook"),
        json.dumps(payload),
        content_type="application/json",
        headers={"Authorization": f"Basic {auth}"},
    )


def delivery(message_id, email):
    return {
        "RecordType": "Delivery",
        "MessageID": message_id,
        "Recipient": email,
        "DeliveredAt": "2026-12-01T06:00:00Z",
        "Details": "Test delivery webhook details",
        "Tag": "",
        "ServerID": 23,
        "Metadata": {},
    }


def hard_bounce(message_id, email):
    return {
        "RecordType": "Bounce",
        "ID": 42,
        "Type": "HardBounce",
        "TypeCode": 1,
        "Name": "Hard bounce",
        "MessageID": message_id,
        "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": email,
        "BouncedAt": "2026-12-01T06:00:00Z",
        "Inactive": True,
        "CanActivate": True,
        "Subject": "Hello",
        "Metadata": {},
    }


def test_every_email_has_a_text_and_an_html_part_from_the_layout_without_remote_images(send, settings):
    send(UserFactory())

    [message] = mail.outbox
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert settings.UTILITY_NAME in html
    assert settings.UTILITY_NAME in message.body
    assert "Your code is <b>77</b>" in html
    assert "Your code is 77." in message.body
    assert "<img" not in html
    assert 'name="viewport"' in html


def test_a_message_without_its_own_html_gets_its_text_as_html(send, settings):
    send(UserFactory(), template="billing/receipt", context={"receipt_number": "KW/1", "amount": 1000})

    [message] = mail.outbox
    [(html, _)] = message.alternatives
    assert "KW/1" in html


def test_a_notice_carries_one_click_unsubscribe(send):
    row = send(UserFactory())

    [message] = mail.outbox
    url = email_layout.unsubscribe_url(row)
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body


def test_a_receipt_carries_no_unsubscribe(send):
    send(UserFactory(), template="billing/receipt", context={"receipt_number": "KW/1", "amount": 1000})

    [message] = mail.outbox
    assert "List-Unsubscribe" not in message.extra_headers


def test_the_one_click_post_switches_the_users_emails_off(send, client):
    user = UserFactory()
    row = send(user)

    response = client.post(email_layout.unsubscribe_url(row).removeprefix("http://127.0.0.1:8000"))

    user.refresh_from_db()
    assert response.status_code == 200
    assert user.notify_email is False


def test_opening_the_unsubscribe_link_only_asks(send, client):
    user = UserFactory()
    row = send(user)

    response = client.get(reverse("accounts:unsubscribe", args=[email_layout.unsubscribe_token(row)]))

    user.refresh_from_db()
    assert user.notify_email is True
    assert user.email in response.content.decode()


def test_a_forged_unsubscribe_token_is_not_found_and_changes_nothing(send, client):
    user = UserFactory()
    send(user)

    response = client.post(reverse("accounts:unsubscribe", args=["forged-token"]))

    user.refresh_from_db()
    assert response.status_code == 404
    assert user.notify_email is True


def test_an_unsubscribed_address_still_gets_receipts(send):
    user = UserFactory()
    UnreachableAddress.objects.create(channel="email", address=user.email, reason=email_layout.UNSUBSCRIBED)

    notice = send(user, key="n")
    receipt = send(user, template="billing/receipt", context={"receipt_number": "KW/1", "amount": 1}, key="r")

    assert notice.status == Notification.Status.FAILED
    assert receipt.status == Notification.Status.SENT


def test_the_providers_message_id_is_kept_and_its_delivery_webhook_recorded(send, client):
    user = UserFactory()
    row = send(user)

    response = postmark(client, delivery(row.provider_id, user.email))

    row.refresh_from_db()
    assert row.provider_id != ""
    assert response.status_code == 200
    assert row.delivery_status == Notification.DeliveryStatus.DELIVERED


def test_a_hard_bounce_is_recorded_and_marks_the_address_unreachable(send, client):
    user = UserFactory()
    row = send(user)

    postmark(client, hard_bounce(row.provider_id, user.email))

    row.refresh_from_db()
    assert row.delivery_status == Notification.DeliveryStatus.FAILED
    assert "unable to deliver" in row.delivery_error
    assert UnreachableAddress.objects.get(channel="email").address == user.email


def test_a_webhook_without_the_secret_is_refused_and_changes_nothing(send, client):
    user = UserFactory()
    row = send(user)

    response = postmark(client, hard_bounce(row.provider_id, user.email), secret="postmark:guess")

    row.refresh_from_db()
    assert response.status_code in (400, 401, 403)
    assert row.delivery_status == ""
    assert not UnreachableAddress.objects.exists()


def test_without_a_webhook_secret_every_tracking_event_is_refused(send, client, settings):
    user = UserFactory()
    row = send(user)
    settings.ANYMAIL = {}

    response = postmark(client, hard_bounce(row.provider_id, user.email), secret="anything:at-all")

    row.refresh_from_db()
    assert response.status_code == 403
    assert row.delivery_status == ""
