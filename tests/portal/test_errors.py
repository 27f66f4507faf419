import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_unknown_page_gets_the_branded_404_without_details(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Halaman itu tidak kami temukan" in body
    assert "Traceback" not in body
    assert "urlpatterns" not in body


def test_customers_get_a_404_under_staff(customer_client):
    assert customer_client.get(reverse("portal:staff-home")).status_code == 404


def test_staff_home_is_for_staff(client, counter_user):
    client.force_login(counter_user)
    assert client.get(reverse("portal:staff-home")).status_code == 200


def test_csrf_is_enforced_on_forms(customer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)
    assert client.post(reverse("accounts:link"), {"account_number": "1", "answer": "x"}).status_code == 403
