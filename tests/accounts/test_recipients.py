"""Who hears about a connection, and the keys that keep each message to one per person."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.outbox import Recipient
from accounts.recipients import Kind, absolute_url, dedupe_key, recipients
from tests.factories.accounts import ConnectionLinkFactory, ServiceConnectionFactory

pytestmark = pytest.mark.django_db


def test_the_portal_users_of_a_connection_hear_about_it_on_their_chosen_channels():
    link = ConnectionLinkFactory(
        user__phone="+6281234567890",
        user__notify_email=False,
        user__notify_whatsapp=True,
        user__whatsapp_opt_in_at=timezone.now(),
    )
    ConnectionLinkFactory(connection=link.connection, user__is_active=False)
    (only,) = recipients(link.connection, Kind.OUTAGES)
    assert (only.user, only.channels) == (link.user, ("whatsapp",))


def test_without_portal_users_the_customer_of_record_hears_on_the_contact_details_held():
    connection = ServiceConnectionFactory(customer__email="", customer__phone="+6281234567890")
    (only,) = recipients(connection, Kind.OUTAGES)
    assert (only.customer, only.channels, only.phone) == (connection.customer, ("sms",), "+6281234567890")


def test_nobody_is_addressed_when_there_is_no_contact_at_all():
    connection = ServiceConnectionFactory(customer__email="", customer__phone="")
    assert recipients(connection, Kind.RECEIPTS) == []


def test_a_dedupe_key_names_the_occasion_and_the_person():
    link = ConnectionLinkFactory()
    connection = ServiceConnectionFactory()
    assert dedupe_key("billing:due", 42, recipient=Recipient.for_user(link.user)) == f"billing:due:42:u{link.user.pk}"
    holder = Recipient.for_customer(connection.customer)
    assert dedupe_key("outage", 3, "r2", recipient=holder) == f"outage:3:r2:c{connection.customer.pk}"


def test_links_in_messages_are_the_sites_address_and_the_reversed_path(settings):
    settings.SITE_URL = "https://portal.example.id"
    assert absolute_url("billing:bill", 7) == "https://portal.example.id" + reverse("billing:bill", args=[7])
