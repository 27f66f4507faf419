"""Customer journeys of the foundation, in real Chromium at phone width."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from accounts.models import Notification
from tests.browser import sign_in
from tests.factories.accounts import DEFAULT_PASSWORD, ServiceConnectionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_link_a_connection_and_see_it_on_the_dashboard(page):
    ServiceConnectionFactory(account_number="1001000042", meter_number="MTR-77-0001234", address="Jl. Mawar No. 5")
    page.goto("/")
    page.get_by_role("link", name="Masuk").click()
    page.get_by_role("link", name="Buat akun").click()
    page.get_by_label("Nama lengkap").fill("Siti Aminah")
    page.get_by_label("Alamat e-mail").fill("siti@example.test")
    page.get_by_label("Nomor HP").fill("0813 1111 2222")
    page.get_by_label("Buat kata sandi").fill("air-bersih-2026")
    page.get_by_label("Ulangi kata sandi").fill("air-bersih-2026")
    page.get_by_role("button", name="Buat akun saya").click()

    expect(page.get_by_role("heading", name="Periksa e-mail Anda")).to_be_visible()
    activation = Notification.objects.get(template="accounts/registration_activate").context["activate_url"]
    page.goto(urlsplit(activation).path)
    expect(page.get_by_role("heading", name="Tambahkan sambungan air Anda")).to_be_visible()
    page.get_by_label("Nomor pelanggan").fill("1001000042")
    page.get_by_label("Nomor seri meter").fill("mtr 77 0001234")
    page.get_by_role("button", name="Tambahkan sambungan").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_text("Sambungan 1001000042 sudah masuk ke akun Anda.")).to_be_visible()
    expect(page.locator("[data-account='1001000042']")).to_contain_text("Jl. Mawar No. 5")


def test_a_wrong_linking_answer_is_explained_and_links_nothing(page):
    ServiceConnectionFactory(account_number="1001000042", meter_number="MTR-77-0001234")
    user = UserFactory(email="budi@example.test")
    sign_in(page, user.email, DEFAULT_PASSWORD)
    page.goto("/accounts/connections/add/")
    page.get_by_label("Nomor pelanggan").fill("1001000042")
    page.get_by_label("Nomor seri meter").fill("SALAH-123")
    page.get_by_role("button", name="Tambahkan sambungan").click()

    expect(page.get_by_role("alert")).to_contain_text("Nomor pelanggan dan jawaban itu tidak cocok")
    page.goto("/dashboard/")
    expect(page.get_by_text("Anda belum menambahkan sambungan air.")).to_be_visible()


def test_switching_to_english_and_back(page):
    page.goto("/")
    expect(page.get_by_role("link", name="Cek dan bayar tagihan")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("link", name="Check and pay a bill")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.get_by_role("link", name="Cek dan bayar tagihan")).to_be_visible()


def test_five_wrong_passwords_pause_sign_in(page):
    UserFactory(email="budi@example.test")
    for _ in range(5):
        sign_in(page, "budi@example.test", "bukan-sandinya")
    expect(page.get_by_role("heading", name="Terlalu banyak kata sandi yang salah")).to_be_visible()
    sign_in(page, "budi@example.test", DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", name="Terlalu banyak kata sandi yang salah")).to_be_visible()
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
