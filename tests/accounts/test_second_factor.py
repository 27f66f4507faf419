"""Staff who take cash, reverse payments or see personal data sign in with a TOTP code as the second factor."""

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEntry, User
from accounts.second_factor import SECOND_FACTOR_ROLES
from complaints.models import ComplaintPhoto
from tests.complaints.images import jpeg_bytes
from tests.factories.accounts import DEFAULT_PASSWORD, StaffFactory
from tests.factories.billing import BillFactory
from tests.factories.complaints import ComplaintFactory
from tests.factories.staff import totp_code

pytestmark = pytest.mark.django_db


def sign_in_with_password(client, user) -> None:
    client.post(reverse("accounts:login"), {"username": user.email, "password": DEFAULT_PASSWORD})


def fresh(user) -> User:
    """The same person read back from the database: signing them in proves nothing but the password."""
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", SECOND_FACTOR_ROLES)
def test_every_staff_role_is_refused_staff_pages_without_the_second_factor(client, role):
    staff = StaffFactory(role=role)
    client.force_login(fresh(staff))

    response = client.get(reverse("portal:staff-home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second-factor"))


def test_staff_with_an_authenticator_are_asked_for_its_code_after_the_password(client):
    cashier = StaffFactory(role="counter")

    sign_in_with_password(client, cashier)
    response = client.get(reverse("portal:after-login"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("accounts:second-factor"))
    assert "Kode 6 angka dari aplikasi autentikator" in response.content.decode()


def test_the_code_the_app_shows_opens_staff_pages(client):
    cashier = StaffFactory(role="counter")
    sign_in_with_password(client, cashier)

    response = client.post(
        reverse("accounts:second-factor"),
        {"code": totp_code(cashier.otp_device), "next": reverse("portal:staff-home")},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("portal:staff-home")
    assert response.context["user"].is_verified()


def test_a_wrong_code_keeps_staff_pages_closed(client):
    cashier = StaffFactory(role="counter")
    sign_in_with_password(client, cashier)
    wrong = f"{(int(totp_code(cashier.otp_device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("accounts:second-factor"), {"code": wrong})

    assert "Kode itu salah" in response.content.decode()
    assert client.get(reverse("portal:staff-home"))["Location"].startswith(reverse("accounts:second-factor"))


def test_a_code_cannot_be_used_twice(client):
    cashier = StaffFactory(role="counter")
    code = totp_code(cashier.otp_device)
    sign_in_with_password(client, cashier)
    client.post(reverse("accounts:second-factor"), {"code": code})
    client.logout()

    sign_in_with_password(client, cashier)
    client.post(reverse("accounts:second-factor"), {"code": code})

    assert client.get(reverse("portal:staff-home")).status_code == 302


def test_staff_without_an_authenticator_are_sent_to_set_one_up(client):
    clerk = StaffFactory(role="complaints", authenticator=False)
    sign_in_with_password(client, clerk)

    response = client.get(reverse("portal:staff-home"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("accounts:second-factor-setup"))
    body = response.content.decode()
    assert "<svg" in body
    assert TOTPDevice.objects.get(user=clerk).confirmed is False


def test_setting_up_with_the_apps_code_confirms_the_authenticator_and_opens_staff_pages(client):
    clerk = StaffFactory(role="complaints", authenticator=False)
    sign_in_with_password(client, clerk)
    client.get(reverse("accounts:second-factor-setup"))
    pending = TOTPDevice.objects.get(user=clerk)

    response = client.post(
        reverse("accounts:second-factor-setup"),
        {"code": totp_code(pending), "next": reverse("portal:staff-home")},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("portal:staff-home")
    assert TOTPDevice.objects.get(user=clerk).confirmed is True
    assert AuditEntry.objects.filter(action="staff.second_factor_enrolled", object_id=str(clerk.pk)).count() == 1


def test_a_wrong_code_during_set_up_confirms_nothing(client):
    clerk = StaffFactory(role="complaints", authenticator=False)
    sign_in_with_password(client, clerk)
    client.get(reverse("accounts:second-factor-setup"))
    pending = TOTPDevice.objects.get(user=clerk)
    wrong = f"{(int(totp_code(pending)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("accounts:second-factor-setup"), {"code": wrong})

    assert "Kode itu salah" in response.content.decode()
    assert TOTPDevice.objects.get(user=clerk).confirmed is False


def test_reloading_the_set_up_page_keeps_the_key_already_scanned(client):
    clerk = StaffFactory(role="field", authenticator=False)
    sign_in_with_password(client, clerk)

    client.get(reverse("accounts:second-factor-setup"))
    client.get(reverse("accounts:second-factor-setup"))

    assert TOTPDevice.objects.filter(user=clerk).count() == 1


def test_an_offsite_next_address_is_not_followed(client):
    cashier = StaffFactory(role="counter")
    sign_in_with_password(client, cashier)

    response = client.post(
        reverse("accounts:second-factor"), {"code": totp_code(cashier.otp_device), "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("portal:staff-home")


def test_customers_are_never_asked_for_a_second_factor(customer_client):
    assert customer_client.get(reverse("portal:dashboard")).status_code == 200
    assert customer_client.get(reverse("accounts:second-factor")).status_code == 404


def test_staff_without_a_role_see_no_personal_data_and_are_not_asked(client):
    staff = StaffFactory(authenticator=False)
    client.force_login(staff)

    assert client.get(reverse("portal:staff-home")).status_code == 200


def test_the_admin_refuses_a_superuser_session_without_the_second_factor(client, admin_user):
    client.force_login(fresh(admin_user))

    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("accounts:second-factor"))


def test_the_admin_opens_for_a_verified_superuser(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert reverse("admin:logout") in response.content.decode()


def test_resetting_a_lost_authenticator_removes_it_and_is_audited(client):
    cashier = StaffFactory(role="counter")

    call_command("reset_second_factor", cashier.email.upper())

    assert not TOTPDevice.objects.filter(user=cashier).exists()
    assert AuditEntry.objects.filter(action="staff.second_factor_reset", object_id=str(cashier.pk)).exists()
    sign_in_with_password(client, cashier)
    assert client.get(reverse("portal:staff-home"))["Location"].startswith(reverse("accounts:second-factor-setup"))


def test_an_administrator_resets_a_lost_authenticator_from_the_user_list(admin_client, admin_user):
    cashier = StaffFactory(role="counter")

    admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [cashier.pk]},
    )

    assert not TOTPDevice.objects.filter(user=cashier).exists()
    assert AuditEntry.objects.get(action="staff.second_factor_reset", object_id=str(cashier.pk)).actor == admin_user


def test_a_bill_opened_through_the_customer_pages_needs_the_second_factor_too(client, customer_connection):
    bill = BillFactory(connection=customer_connection)
    cashier = StaffFactory(role="counter")
    client.force_login(fresh(cashier))

    assert client.get(reverse("billing:bill", args=[bill.pk])).status_code == 404


def test_a_tickets_photo_needs_the_second_factor_for_staff(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    photo = ComplaintPhoto.objects.create(
        complaint=ComplaintFactory(), image=ContentFile(jpeg_bytes((40, 30)), name="a.jpg")
    )
    clerk = StaffFactory(role="complaints")
    client.force_login(fresh(clerk))

    assert client.get(reverse("complaints:photo", args=[photo.pk])).status_code == 404
    client.force_login(clerk)
    assert client.get(reverse("complaints:photo", args=[photo.pk])).status_code == 200


def test_typing_the_code_gives_the_session_a_new_key(client):
    cashier = StaffFactory(role="counter")
    sign_in_with_password(client, cashier)
    before = client.session.session_key

    client.post(reverse("accounts:second-factor"), {"code": totp_code(cashier.otp_device)})

    assert client.session.session_key != before
    assert client.get(reverse("portal:staff-home")).status_code == 200
