"""The two journeys of the issue, in real Chromium at phone size, in Indonesian."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from complaints.categories import ensure_standard_categories
from complaints.models import Complaint, Outage
from tests.complaints.images import jpeg_bytes
from tests.factories.accounts import AreaFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def open_page(_browser, live_server):
    """Another phone: a separate browser context, optionally signed in as `user`."""
    contexts = []

    def open_as(user=None):
        context = _browser.new_context(
            base_url=live_server.url,
            viewport={"width": 360, "height": 740},
            locale="id-ID",
            timezone_id="Asia/Makassar",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
            )
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


def change_status(page, ticket: str, status: str, assignee: str = "", message: str = "") -> None:
    page.goto(f"/staff/complaints/{ticket}/")
    page.get_by_label("Status baru").select_option(label=status)
    if assignee:
        page.get_by_label("Tugaskan kepada").select_option(label=assignee)
    if message:
        page.get_by_label("Pesan untuk pelapor (opsional)").fill(message)
    page.get_by_role("button", name="Simpan perubahan").click()
    expect(page.locator(".messages")).to_contain_text(ticket)


def test_anonymous_leak_report_with_photo_is_tracked_handled_and_rated(
    page, open_page, tmp_path, complaints_user, field_user
):
    ensure_standard_categories()
    AreaFactory(name="Cakranegara Barat")
    photo = tmp_path / "pipa-bocor.jpg"
    photo.write_bytes(jpeg_bytes(size=(2400, 1800)))

    page.goto("/")
    page.locator("a.tile-urgent").click()
    page.get_by_label("Apa masalahnya?").select_option(label="Pipa bocor atau pecah")
    page.get_by_label("Ceritakan singkat").fill("Pipa pecah di depan masjid, air menyembur ke jalan.")
    page.get_by_label("Alamat atau patokan").fill("Jl. Selaparang depan Masjid Nurul Huda")
    page.get_by_label("Kelurahan").select_option(label="Cakranegara Barat")
    page.get_by_label("Nama Anda").fill("Ni Made Ayu")
    page.get_by_label("Nomor HP").fill("0812 3456 7890")
    page.get_by_label("Foto (opsional, maksimal 3)").set_input_files(str(photo))
    page.get_by_role("button", name="Kirim laporan").click()

    ticket = Complaint.objects.get().ticket
    expect(page.locator("h1.ticket-number")).to_have_text(ticket)
    expect(page.locator(".photos img")).to_have_count(1)

    tracker = open_page()
    tracker.goto("/")
    tracker.locator("a.tile[href='/complaints/track/']").click()
    tracker.get_by_label("Nomor tiket").fill(ticket)
    tracker.get_by_label("4 angka terakhir nomor HP Anda").fill("7890")
    tracker.get_by_role("button", name="Tampilkan laporan saya").click()
    expect(tracker.locator("h1.ticket-number")).to_have_text(ticket)
    expect(tracker.locator(".status")).to_have_text("Diterima")

    officer = open_page(complaints_user)
    change_status(officer, ticket, "diverifikasi", message="Tim kami segera ke lokasi.")
    change_status(officer, ticket, "diteruskan ke tim", assignee="Petugas Lapangan")
    crew = open_page(field_user)
    change_status(crew, ticket, "selesai ditangani", message="Pipa sudah diganti.")

    tracker.reload()
    expect(tracker.locator(".status").first).to_have_text("Selesai ditangani")
    expect(tracker.get_by_text("Pipa sudah diganti.")).to_be_visible()
    tracker.get_by_label("5 – sangat baik").check()
    tracker.get_by_role("button", name="Kirim penilaian").click()
    expect(tracker.locator(".status").first).to_have_text("Ditutup")
    assert Complaint.objects.get().rating == 5


def test_staff_publish_an_outage_and_a_customer_in_the_area_sees_it(
    open_page, supervisor, customer, customer_connection
):
    area = customer_connection.area
    start = timezone.localtime() - timedelta(minutes=30)
    end = start + timedelta(hours=6)

    staff = open_page(supervisor)
    staff.goto("/staff/outages/new/")
    staff.get_by_label("Jenis").select_option(label="gangguan tak terduga")
    staff.get_by_label("Judul").fill("Pipa transmisi Ampenan bocor")
    staff.get_by_label("Yang perlu diketahui pelanggan").fill("Air mati sementara; mobil tangki disiagakan.")
    staff.get_by_label(area.name).check()
    staff.get_by_label("Mulai").fill(start.strftime("%Y-%m-%dT%H:%M"))
    staff.get_by_label("Perkiraan selesai").fill(end.strftime("%Y-%m-%dT%H:%M"))
    staff.get_by_role("button", name="Terbitkan dan beri tahu").click()
    expect(staff.locator(".messages")).to_contain_text("Pipa transmisi Ampenan bocor")
    assert Outage.objects.get().areas.get() == area

    home = open_page(customer)
    home.goto("/dashboard/")
    expect(home.locator(".notice")).to_contain_text("Pipa transmisi Ampenan bocor")
