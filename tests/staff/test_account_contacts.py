"""The staff account page says which of the holder's contacts are not used for messages, and why, and shows the
messages they sent us."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import InboundMessage, UnreachableAddress
from tests.factories.accounts import ServiceConnectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection(db):
    return ServiceConnectionFactory(customer__phone="+6281234567890", customer__email="siti@example.test")


def account_page(client, counter_user, connection) -> str:
    client.force_login(counter_user)
    return client.get(reverse("portal:staff-account", args=[connection.account_number])).content.decode()


def test_staff_see_why_a_contact_is_skipped(client, counter_user, connection):
    UnreachableAddress.objects.create(channel="whatsapp", address="+6281234567890", reason="opted out: replied STOP")
    UnreachableAddress.objects.create(channel="email", address="siti@example.test", reason="hard bounce 5.1.1")
    UnreachableAddress.objects.create(channel="email", address="someone-else@example.test", reason="other person")

    body = account_page(client, counter_user, connection)

    assert "opted out: replied STOP" in body
    assert "hard bounce 5.1.1" in body
    assert "other person" not in body


def test_staff_see_the_messages_the_holder_sent_us(client, counter_user, connection):
    InboundMessage.objects.create(
        channel="whatsapp", from_address="+6281234567890", text="Air belum mengalir", provider_id="wamid.1"
    )
    InboundMessage.objects.create(channel="sms", from_address="+6289999999999", text="Bukan dia", provider_id="s1")

    body = account_page(client, counter_user, connection)

    assert "Air belum mengalir" in body
    assert "Bukan dia" not in body


def test_only_the_latest_24_messages_are_shown_newest_first_beside_every_unreachable_contact(
    client, counter_user, connection
):
    start = timezone.now() - datetime.timedelta(days=30)
    for day in range(26):
        InboundMessage.objects.create(
            channel="sms",
            from_address="+6281234567890",
            text=f"pesan-{day:02}",
            provider_id=f"s{day}",
            received_at=start + datetime.timedelta(days=day),
        )
    UnreachableAddress.objects.create(
        channel="email", address="siti@example.test", reason="hard bounce 5.1.1", since=start
    )

    body = account_page(client, counter_user, connection)

    shown = [f"pesan-{day:02}" for day in range(26) if f"pesan-{day:02}" in body]
    assert shown == [f"pesan-{day:02}" for day in range(2, 26)]
    assert body.index("pesan-25") < body.index("pesan-02")
    assert "hard bounce 5.1.1" in body
