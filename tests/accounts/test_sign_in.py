import pytest
from django.urls import reverse

from tests.factories.accounts import DEFAULT_PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def post_login(client, username, password=DEFAULT_PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def signed_in(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_customer_signs_in_with_e_mail_in_any_case_and_lands_on_the_dashboard(client):
    budi = UserFactory(email="budi@example.test")
    response = post_login(client, "Budi@Example.TEST")
    assert signed_in(client) == str(budi.pk)
    assert response["Location"] == reverse("portal:after-login")
    assert client.get(response["Location"])["Location"] == reverse("portal:dashboard")


@pytest.mark.parametrize("typed", ["081234567890", "+62 812-3456-7890", "6281234567890"])
def test_customer_signs_in_with_the_mobile_number_in_any_format(client, typed):
    UserFactory(phone="+6289999999999")
    holder = UserFactory(phone="+6281234567890")
    post_login(client, typed)
    assert signed_in(client) == str(holder.pk)


def test_staff_land_in_the_staff_workspace(client):
    StaffFactory(email="kasir@example.test", role="counter")
    post_login(client, "kasir@example.test")
    assert client.get(reverse("portal:after-login"))["Location"] == reverse("portal:staff-home")


def test_a_wrong_password_gets_a_clear_message_in_indonesian(client):
    UserFactory(email="budi@example.test")
    response = post_login(client, "budi@example.test", "wrong-password")
    assert "tidak cocok" in response.content.decode()
    assert signed_in(client) is None


def test_sign_in_locks_after_five_failures_even_with_the_right_password_then(client):
    UserFactory(email="budi@example.test")
    for _ in range(5):
        post_login(client, "budi@example.test", "wrong-password")
    response = post_login(client, "budi@example.test")
    assert response.status_code == 429
    assert "Terlalu banyak kata sandi yang salah" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_counts_one_account_across_phone_formats(client):
    UserFactory(phone="+6281234567890")
    for typed in ["081234567890", "+6281234567890", "6281234567890", "0812 3456 7890", "0812-3456-7890"]:
        post_login(client, typed, "wrong-password")
    assert post_login(client, "081234567890").status_code == 429
    assert signed_in(client) is None


def test_sign_out_needs_a_post(client, customer):
    client.force_login(customer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session
