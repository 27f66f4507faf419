"""The search page: who may use it, results as one types (htmx partial), the plain form, CSV for supervisors."""

import pytest
from django.urls import reverse

from tests.factories.accounts import ServiceConnectionFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("portal:staff-search")
CSV = reverse("portal:staff-search-csv")


@pytest.fixture
def siti(db):
    return ServiceConnectionFactory(
        customer__name="Siti Aminah", address="Jl. Mawar No. 1", account_number="1001000042"
    )


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(SEARCH)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_customers_get_a_404_anywhere_under_staff(customer_client, siti):
    for url in (reverse("portal:staff-home"), SEARCH, CSV, reverse("portal:staff-account", args=[siti.account_number])):
        assert customer_client.get(url).status_code == 404


def test_field_staff_may_not_search_accounts(client, field_user):
    client.force_login(field_user)
    assert client.get(SEARCH, {"q": "siti"}).status_code == 403


def test_counter_staff_find_a_connection_by_part_of_the_name(client, counter_user, siti):
    client.force_login(counter_user)
    response = client.get(SEARCH, {"q": "siti am"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body
    assert reverse("portal:staff-account", args=[siti.account_number]) in body
    assert "Jl. Mawar No. 1" in body


def test_typing_gets_only_the_results_fragment_back(client, counter_user, siti):
    client.force_login(counter_user)
    response = client.get(SEARCH, {"q": "siti"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert 'data-account="1001000042"' in body


def test_the_search_box_asks_for_results_as_one_types_and_still_works_as_a_form(client, counter_user):
    client.force_login(counter_user)
    body = client.get(SEARCH).content.decode()
    assert 'hx-trigger="input changed delay:250ms"' in body
    assert f'action="{SEARCH}"' in body
    assert 'method="get"' in body


def test_nothing_found_says_what_to_try(client, counter_user):
    client.force_login(counter_user)
    body = client.get(SEARCH, {"q": "zzzz"}).content.decode()
    assert "Tidak ditemukan" in body


@pytest.mark.parametrize("typed", ["%", "x" * 5000, "<script>alert(1)</script>", "＊ Ａｍｉｎａｈ"])
def test_any_input_gets_a_page_not_an_error(client, counter_user, typed):
    client.force_login(counter_user)
    response = client.get(SEARCH, {"q": typed})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


def test_the_csv_export_is_for_supervisors_only(client, counter_user, siti):
    client.force_login(counter_user)
    assert client.get(CSV, {"q": "siti"}).status_code == 403


def test_supervisors_download_the_results_as_csv(client, supervisor, siti):
    client.force_login(supervisor)
    response = client.get(CSV, {"q": "siti"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Nomor pelanggan,")
    assert lines[1].startswith("1001000042,Siti Aminah,")


def test_a_csv_cell_cannot_smuggle_a_spreadsheet_formula(client, supervisor):
    ServiceConnectionFactory(customer__name="=HYPERLINK(1) Siti", account_number="1001000099")
    client.force_login(supervisor)
    body = client.get(CSV, {"q": "1001000099"}).content.decode("utf-8-sig")
    assert ",'=HYPERLINK(1) Siti," in body
