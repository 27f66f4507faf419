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
    response = customer_client.get(reverse("portal:staff-home"))
    assert response.status_code == 404
    assert "Staff workspace" not in response.content.decode()


def test_staff_home_greets_the_member_of_staff_by_name(client, counter_user):
    client.force_login(counter_user)
    body = client.get(reverse("portal:staff-home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Signed in as {counter_user.full_name}." in body


def test_csrf_is_enforced_on_forms(customer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)
    links = customer.connection_links.count()
    assert client.post(reverse("accounts:link"), {"account_number": "1", "answer": "x"}).status_code == 403
    assert customer.connection_links.count() == links
