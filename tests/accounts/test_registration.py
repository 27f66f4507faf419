from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.http import urlsafe_base64_encode

from accounts.models import Notification, User
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

VALID = {
    "full_name": "Siti Aminah",
    "email": "Siti@Example.test",
    "phone": "0813 1111 2222",
    "password1": "air-bersih-2026",
    "password2": "air-bersih-2026",
}


def register(client, **fields):
    return client.post(reverse("accounts:register"), {**VALID, **fields})


def activation_path(user: User) -> str:
    url = Notification.objects.get(template="accounts/registration_activate", user=user).context["activate_url"]
    return urlsplit(url).path


def test_registration_creates_an_inactive_account_with_normalised_contacts_and_sends_its_link(client):
    response = register(client)
    assert response["Location"] == reverse("accounts:register-sent")
    user = User.objects.get()
    assert (user.email, user.phone, user.is_staff, user.is_active) == (
        "siti@example.test",
        "+6281311112222",
        False,
        False,
    )
    assert "_auth_user_id" not in client.session
    assert Notification.objects.get(user=user).to_address == "siti@example.test"


def test_the_link_activates_the_account_signs_in_and_asks_for_a_connection(client):
    register(client)
    user = User.objects.get()
    response = client.get(activation_path(user))
    assert response["Location"] == reverse("accounts:link")
    user.refresh_from_db()
    assert user.is_active
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_link_works_once(client):
    register(client)
    path = activation_path(User.objects.get())
    client.get(path)
    client.post(reverse("accounts:logout"))
    response = client.get(path)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_forged_link_activates_nothing(client):
    register(client)
    user = User.objects.get()
    response = client.get(reverse("accounts:register-activate", args=[urlsafe_base64_encode(b"%d" % user.pk), "x-y"]))
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_phone_is_optional(client):
    register(client, phone="")
    assert User.objects.get().phone is None


def test_a_taken_e_mail_gets_the_same_answer_and_its_owner_is_told(client):
    owner = UserFactory(email="siti@example.test", full_name="Siti Aminah")
    fresh = register(Client(), email="new@example.test", phone="")
    taken = register(client, email="SITI@example.TEST", phone="")
    assert taken["Location"] == fresh["Location"]
    assert User.objects.filter(email__iexact="siti@example.test").get() == owner
    owner.refresh_from_db()
    assert owner.check_password(DEFAULT_PASSWORD)
    warning = Notification.objects.get(user=owner)
    assert (warning.template, warning.to_address) == ("accounts/registration_attempt", "siti@example.test")


def test_a_taken_mobile_number_gets_the_same_answer_stays_with_its_owner_who_is_told(client):
    owner = UserFactory(phone="+6281311112222")
    response = register(client)
    assert response["Location"] == reverse("accounts:register-sent")
    assert User.objects.get(email="siti@example.test").phone is None
    warning = Notification.objects.get(user=owner)
    assert (warning.template, warning.channel, warning.to_address) == (
        "accounts/registration_attempt",
        Notification.Channel.SMS,
        "+6281311112222",
    )


def test_the_owner_is_told_once_a_day_however_often_someone_tries(client):
    owner = UserFactory(email="siti@example.test")
    for _ in range(3):
        register(client, phone="")
    assert Notification.objects.filter(user=owner).count() == 1


def test_registering_again_before_activating_sends_a_fresh_link_with_the_new_password(client):
    register(client)
    register(client, password1="sumber-air-2027", password2="sumber-air-2027")
    user = User.objects.get()
    assert user.check_password("sumber-air-2027")
    assert Notification.objects.filter(template="accounts/registration_activate").count() == 2


def test_an_unactivated_account_cannot_sign_in(client):
    register(client)
    client.post(reverse("accounts:login"), {"username": "siti@example.test", "password": VALID["password1"]})
    assert "_auth_user_id" not in client.session


def test_registration_is_limited_per_client(client, settings):
    settings.REGISTRATION_RATE_PER_CLIENT = "2/h"
    for n in range(2):
        register(client, email=f"user{n}@example.test", phone="")
    response = register(client, email="last@example.test", phone="")
    assert response.status_code == 429
    assert not User.objects.filter(email="last@example.test").exists()


def test_a_bad_phone_number_is_explained_and_nothing_is_created(client):
    response = register(client, phone="12345")
    assert "Masukkan nomor HP Indonesia" in response.content.decode()
    assert not User.objects.exists()


def test_weak_passwords_are_refused(client):
    response = client.post(reverse("accounts:register"), {**VALID, "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert not User.objects.exists()


def test_profile_keeps_at_least_one_channel(customer_client):
    response = customer_client.post(reverse("accounts:profile"), {"full_name": "Budi", "phone": "", "language": "id"})
    assert "Pilih paling sedikit satu cara" in response.content.decode()


def test_profile_needs_a_phone_for_whatsapp(customer_client, customer):
    customer_client.post(
        reverse("accounts:profile"),
        {"full_name": "Budi", "phone": "", "language": "id", "notify_email": "on", "notify_whatsapp": "on"},
    )
    customer.refresh_from_db()
    assert customer.notify_whatsapp is False


def test_profile_saves_channels_and_language(customer_client, customer):
    customer_client.post(
        reverse("accounts:profile"),
        {"full_name": "Budi S", "phone": "0812 9999 0000", "language": "en", "notify_sms": "on"},
    )
    customer.refresh_from_db()
    assert (customer.phone, customer.language, customer.notify_email, customer.notify_sms) == (
        "+6281299990000",
        "en",
        False,
        True,
    )
