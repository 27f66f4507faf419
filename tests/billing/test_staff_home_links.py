"""The readings upload is one tap from the billing staff's home, and hidden from roles that may not use it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_billing_staff_find_the_readings_upload_on_their_home(client, billing_user):
    client.force_login(billing_user)
    body = client.get(reverse("portal:staff-home")).content.decode()
    assert f'href="{reverse("billing:import-readings")}"' in body


def test_counter_staff_do_not_get_the_readings_upload(client, counter_user):
    client.force_login(counter_user)
    body = client.get(reverse("portal:staff-home")).content.decode()
    assert reverse("billing:import-readings") not in body
