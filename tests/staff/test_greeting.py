"""The staff home greets the person by name, never by a title alone."""

import pytest
from django.urls import reverse

from tests.factories.accounts import StaffFactory

pytestmark = pytest.mark.django_db


def test_the_greeting_shows_the_full_name_of_a_titled_person(client):
    client.force_login(StaffFactory(full_name="Ir. Hasanuddin", role="supervisor"))
    body = client.get(reverse("portal:staff-home")).content.decode()
    assert "Masuk sebagai Ir. Hasanuddin." in body
