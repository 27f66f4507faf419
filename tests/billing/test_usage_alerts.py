"""Usage alerts asked for per connection: a dearer price block reached, or a possible leak, whatever stored the
reading."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.models import ConnectionLink, Notification
from billing.models import MeterReading
from billing.readings import ReadingInput, record_readings
from tests.factories.accounts import ConnectionLinkFactory
from tests.factories.billing import MeterReadingFactory, TariffFactory

pytestmark = pytest.mark.django_db

MAY = datetime.date(2026, 5, 1)


def asking(customer, connection, *, block=False, leak=False):
    ConnectionLink.objects.filter(user=customer, connection=connection).update(alert_block=block, alert_leak=leak)
    TariffFactory(customer_class=connection.customer_class)  # 0–10 m³ Rp 2.000, 10–20 m³ Rp 3.000, above Rp 5.000


def self_reading(connection, usage, period=MAY):
    """A reading stored the way an accepted self reading is: a plain save, source customer."""
    return MeterReading.objects.create(
        connection=connection,
        period=period,
        reading=500 + usage,
        previous_reading=500,
        usage=usage,
        read_on=period.replace(day=5),
        source=MeterReading.Source.CUSTOMER,
    )


def sent(template, user=None):
    rows = Notification.objects.filter(template=template)
    return rows.filter(user=user) if user else rows


def test_a_reading_reaching_a_dearer_block_tells_the_customer_who_asked(customer, customer_connection):
    asking(customer, customer_connection, block=True)
    self_reading(customer_connection, 12)
    [message] = sent("billing/block_reached", customer)
    assert message.context["from_m3"] == 11
    assert message.context["price"] == 3000
    assert message.context["usage"] == 12


def test_a_reading_in_the_first_block_tells_nobody(customer, customer_connection):
    asking(customer, customer_connection, block=True)
    self_reading(customer_connection, 10)
    assert not sent("billing/block_reached").exists()


def test_nobody_is_told_about_blocks_without_asking(customer, customer_connection):
    asking(customer, customer_connection, leak=True)
    self_reading(customer_connection, 25)
    assert not sent("billing/block_reached").exists()


def test_another_household_member_who_did_not_ask_is_not_told(customer, customer_connection):
    member = ConnectionLinkFactory(connection=customer_connection).user
    asking(customer, customer_connection, block=True)
    self_reading(customer_connection, 15)
    assert sent("billing/block_reached", customer).exists()
    assert not sent("billing/block_reached", member).exists()


def test_a_reading_from_the_field_readers_upload_alerts_too(customer, customer_connection):
    asking(customer, customer_connection, block=True)
    MeterReadingFactory(
        connection=customer_connection, period=datetime.date(2026, 4, 1), reading=500, previous_reading=None
    )
    record_readings([ReadingInput(2, customer_connection.account_number, MAY, 521, datetime.date(2026, 5, 3))])
    [message] = sent("billing/block_reached", customer)
    assert message.context["from_m3"] == 21  # 21 m³: the top block, Rp 5.000
    assert message.context["price"] == 5000


def test_storing_the_same_reading_again_alerts_once(customer, customer_connection):
    asking(customer, customer_connection, block=True)
    reading = self_reading(customer_connection, 15)
    reading.save()
    assert sent("billing/block_reached", customer).count() == 1


def test_a_flagged_reading_alerts_nobody(customer, customer_connection):
    asking(customer, customer_connection, block=True, leak=True)
    MeterReading.objects.create(
        connection=customer_connection, period=MAY, reading=10, read_on=MAY, flagged=True, flag_reason="lower"
    )
    assert not Notification.objects.exists()


def usual_months(connection, usage=10):
    for month in (2, 3, 4):
        MeterReadingFactory(connection=connection, period=datetime.date(2026, month, 1), reading=400, usage=usage)


def test_a_possible_leak_in_a_self_reading_tells_the_customer_who_asked(customer, customer_connection):
    asking(customer, customer_connection, leak=True)
    usual_months(customer_connection)
    self_reading(customer_connection, 30)  # three times the usual 10 m³
    [message] = sent("billing/high_usage", customer)
    assert message.context["usage"] == 30


def test_usual_usage_is_no_leak(customer, customer_connection):
    asking(customer, customer_connection, leak=True)
    usual_months(customer_connection)
    self_reading(customer_connection, 14)
    assert not sent("billing/high_usage").exists()


def test_the_uploads_warning_and_the_leak_alert_reach_a_person_once(customer, customer_connection):
    asking(customer, customer_connection, leak=True)
    usual_months(customer_connection)
    MeterReading.objects.filter(connection=customer_connection, period=datetime.date(2026, 4, 1)).update(reading=500)
    record_readings([ReadingInput(2, customer_connection.account_number, MAY, 540, datetime.date(2026, 5, 3))])
    assert sent("billing/high_usage", customer).count() == 1


# --- the preference on the connection page ----------------------------------------------------------------


def test_a_customer_turns_on_the_alerts_of_their_connection(customer_client, customer, customer_connection):
    url = reverse("billing:usage-alerts", args=[customer_connection.account_number])
    response = customer_client.post(url, {"block": "on", "leak": "on"}, follow=True)
    link = ConnectionLink.objects.get(user=customer, connection=customer_connection)
    assert (link.alert_block, link.alert_leak) == (True, True)
    assert "Peringatan pemakaian Anda telah disimpan." in response.content.decode()


def test_unticking_turns_the_alerts_off(customer_client, customer, customer_connection):
    ConnectionLink.objects.filter(user=customer).update(alert_block=True, alert_leak=True)
    customer_client.post(reverse("billing:usage-alerts", args=[customer_connection.account_number]), {})
    link = ConnectionLink.objects.get(user=customer, connection=customer_connection)
    assert (link.alert_block, link.alert_leak) == (False, False)


def test_the_alerts_of_another_customers_connection_are_404(customer_client, other_customer):
    theirs = other_customer.connections.get()
    response = customer_client.post(reverse("billing:usage-alerts", args=[theirs.account_number]), {"block": "on"})
    assert response.status_code == 404
    assert not ConnectionLink.objects.filter(alert_block=True).exists()


def test_the_connection_page_shows_the_alerts_asked_for(customer_client, customer, customer_connection):
    ConnectionLink.objects.filter(user=customer).update(alert_leak=True)
    url = reverse("billing:connection", args=[customer_connection.account_number])
    body = customer_client.get(url).content.decode()
    assert re.search(r'<input[^>]*name="leak"[^>]*checked', body)
    assert not re.search(r'<input[^>]*name="block"[^>]*checked', body)
