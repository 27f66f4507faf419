import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

VALID = {
    "full_name": "Siti Aminah",
    "email": "Siti@Example.test",
    "phone": "0813 1111 2222",
    "password1": "air-bersih-2026",
    "password2": "air-bersih-2026",
}


def test_registration_creates_a_signed_in_customer_with_normalised_contacts(client):
    response = client.post(reverse("accounts:register"), VALID)
    assert response["Location"] == reverse("accounts:link")
    user = User.objects.get()
    assert (user.email, user.phone, user.is_staff) == ("siti@example.test", "+6281311112222", False)
    assert client.session["_auth_user_id"] == str(user.pk)


def test_phone_is_optional(client):
    client.post(reverse("accounts:register"), {**VALID, "phone": ""})
    assert User.objects.get().phone is None


def test_an_e_mail_already_registered_is_refused_whatever_its_case(client):
    client.post(reverse("accounts:register"), VALID)
    client.post(reverse("accounts:logout"))
    response = client.post(reverse("accounts:register"), {**VALID, "email": "SITI@example.TEST", "phone": ""})
    assert "Sudah ada akun dengan alamat e-mail ini" in response.content.decode()
    assert User.objects.count() == 1


def test_a_bad_phone_number_is_explained_and_nothing_is_created(client):
    response = client.post(reverse("accounts:register"), {**VALID, "phone": "12345"})
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
