"""Steps shared by browser tests."""

from tests.factories.staff import totp_code


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail atau nomor HP").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def sign_in_staff(page, user, password: str) -> None:
    """Staff sign in with their password, then with the code their authenticator app shows now."""
    sign_in(page, user.email, password)
    page.get_by_label("Kode 6 angka dari aplikasi autentikator").fill(totp_code(user.otp_device))
    page.get_by_role("button", name="Verifikasi").click()
