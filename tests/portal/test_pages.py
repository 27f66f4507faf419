import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_offers_the_three_things_people_come_for(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("Cek dan bayar tagihan", "Laporkan kebocoran atau gangguan", "Lacak laporan"):
        assert text in body


def test_dashboard_lists_only_the_customers_own_connections(customer_client, customer_connection, other_customer):
    response = customer_client.get(reverse("portal:dashboard"))
    body = response.content.decode()
    assert customer_connection.account_number in body
    assert other_customer.connections.get().account_number not in body


def test_dashboard_sends_strangers_to_sign_in(client):
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
