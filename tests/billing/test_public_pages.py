import pytest
from django.core.cache import cache
from django.urls import reverse

from billing.models import Bill
from billing.services import mask_name, street_only
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.billing import BillFactory, TariffFactory

pytestmark = pytest.mark.django_db
LOOKUP = reverse("billing:lookup")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def connection():
    return ServiceConnectionFactory(
        account_number="1000000042", customer__name="Budi Santoso", address="Jl. Merdeka No. 12, RT 01/RW 02"
    )


def test_names_are_masked_after_three_letters():
    assert mask_name("Budi Santoso") == "BUD* SAN****"
    assert mask_name("Ani") == "ANI"
    assert mask_name("I Made") == "* MAD*"


def test_addresses_are_reduced_to_the_street():
    assert street_only("Jl. Merdeka No. 12, RT 01/RW 02") == "Jl. Merdeka"
    assert street_only("Gg. Mawar 7") == "Gg. Mawar"


def test_lookup_shows_unpaid_bills_and_their_total_with_the_holder_masked(client, connection):
    import datetime

    BillFactory(connection=connection, total=50000)
    BillFactory(connection=connection, period=datetime.date(2026, 2, 1), total=75500)
    BillFactory(connection=connection, period=datetime.date(2025, 12, 1), status=Bill.Status.PAID, total=99000)
    body = client.post(LOOKUP, {"account_number": "1000000042"}).content.decode()
    assert "Rp 125.500" in body
    assert "BUD* SAN****" in body
    assert "Jl. Merdeka" in body
    assert "Budi" not in body
    assert "No. 12" not in body
    assert "Rp 99.000" not in body


def test_lookup_query_count_does_not_grow_with_bills(client, connection, django_assert_max_num_queries):
    import datetime

    tariff = TariffFactory(customer_class=connection.customer_class)
    for month in range(1, 13):
        BillFactory(connection=connection, tariff=tariff, period=datetime.date(2025, month, 1))
    with django_assert_max_num_queries(3):
        client.post(LOOKUP, {"account_number": "1000000042"})


def test_an_unknown_number_gets_a_clear_message(client):
    body = client.post(LOOKUP, {"account_number": "1234567890"}).content.decode()
    assert "tidak menemukan sambungan dengan nomor pelanggan 1234567890" in body


def test_a_malformed_number_is_explained(client):
    response = client.post(LOOKUP, {"account_number": "abc"})
    assert response.status_code == 200
    assert "6 sampai 12 angka" in response.content.decode()


def test_lookups_are_limited_per_client(client, connection, settings):
    settings.BILL_LOOKUP_RATE = "3/m"
    for _ in range(3):
        assert client.post(LOOKUP, {"account_number": "1000000042"}).status_code == 200
    response = client.post(LOOKUP, {"account_number": "1000000042"})
    assert response.status_code == 429
    assert "BUD*" not in response.content.decode()


def test_the_estimator_shows_the_bill_block_by_block(client):
    tariff = TariffFactory()
    response = client.get(
        reverse("billing:estimate"), {"customer_class": tariff.customer_class_id, "meter_size": "1/2", "usage": 21}
    )
    body = response.content.decode()
    assert "Rp 70.000" in body
    assert "20–∞" not in body
    assert "&gt; 20 m³" in body


def test_the_estimator_explains_bad_input_without_failing(client):
    TariffFactory()
    response = client.get(reverse("billing:estimate"), {"customer_class": "x", "usage": "-3"})
    assert response.status_code == 200
    assert "Perkiraan tagihan" not in response.content.decode()


def test_the_home_page_check_a_bill_tile_leads_to_the_lookup(client):
    assert LOOKUP in client.get(reverse("portal:home")).content.decode()
