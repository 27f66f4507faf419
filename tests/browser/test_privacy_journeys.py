"""Privacy journeys in real Chromium: a clerk sets up an authenticator app; a customer takes their data and leaves."""

import base64
import json
import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.browser import sign_in
from tests.factories.accounts import DEFAULT_PASSWORD, ConnectionLinkFactory, StaffFactory
from tests.factories.staff import totp_for_key

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_cashier_sets_up_an_authenticator_app_and_reaches_the_staff_pages(page):
    cashier = StaffFactory(email="kasir.baru@example.test", role="counter", authenticator=False)
    sign_in(page, cashier.email, DEFAULT_PASSWORD)

    expect(page.get_by_role("heading", name="Siapkan aplikasi autentikator Anda")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    # What a person types into their app when the camera cannot scan the code.
    secret = page.locator(".secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Kode 6 angka dari aplikasi autentikator").fill(totp_for_key(key))
    page.get_by_role("button", name="Konfirmasi dan lanjutkan").click()

    expect(page.get_by_role("heading", name="Ruang kerja petugas")).to_be_visible()
    assert cashier.totpdevice_set.get().confirmed


def test_a_customer_downloads_their_data_then_closes_their_account(page):
    link = ConnectionLinkFactory(user__email="budi@example.test", user__full_name="Budi Santoso")
    sign_in(page, "budi@example.test", DEFAULT_PASSWORD)
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Data pribadi saya: unduh atau tutup akun saya").click()

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh data saya").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["profile"]["email"] == "budi@example.test"
    assert data["connections"][0]["account_number"] == link.connection.account_number

    page.get_by_label("Kata sandi Anda, untuk konfirmasi").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Tutup akun saya").click()

    expect(page.get_by_text(re.compile("akun portal Anda sudah ditutup"))).to_be_visible()
    assert not User.objects.filter(email="budi@example.test").exists()
