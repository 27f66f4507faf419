"""A customer on a 360 px phone questions a bill from its page; the bill waits while it is checked."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from billing.jobs import apply_late_fees
from billing.models import Bill, BillLine
from portal.bill_disputes import question_bill
from tests.browser.checks import check_page
from tests.complaints.images import jpeg_bytes
from tests.factories.billing import BillFactory, BillLineFactory, LateFeeRuleFactory, MeterReadingFactory
from tests.factories.complaints import category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_customer_questions_a_bill_and_the_late_fee_waits(page, live_server, customer, customer_connection, tmp_path):
    category("billing")
    LateFeeRuleFactory(code="late-1", days_overdue=0, amount=10000)
    due = timezone.localdate() + datetime.timedelta(days=5)
    bill = BillFactory(connection=customer_connection, total=125500, period=due.replace(day=1), due_date=due)
    BillLineFactory(bill=bill, quantity=10, unit_price=12550)
    photo = tmp_path / "meter.jpg"
    photo.write_bytes(jpeg_bytes())
    signed_in(page, live_server, customer)

    page.goto(reverse("billing:bill", args=[bill.pk]))
    page.get_by_role("link", name="Tagihan ini tampak keliru").click()
    form_page = check_page(page)
    assert (form_page["scrollWidth"], form_page["outside"], form_page["axe"]) == (360, [], [])
    page.get_by_label("Apa yang tampak keliru?").fill("Pemakaian dua kali lipat, meter saya 120")
    page.get_by_label("Foto meter Anda saat ini (opsional)").set_input_files(str(photo))
    page.get_by_role("button", name="Kirim ke petugas rekening").click()

    held = page.locator(".bill-on-hold")
    held.get_by_text("Ditahan: sedang diperiksa").wait_for()
    assert "Denda dan pengingat menunggu" in held.inner_text()
    ticket = held.locator("a").inner_text()
    assert ticket.startswith("ADU-")
    assert ticket in page.locator(".messages").inner_text()
    found = check_page(page)
    assert found["scrollWidth"] <= 360
    assert found["outside"] == []
    assert found["axe"] == []

    assert apply_late_fees(due + datetime.timedelta(days=40)) == 0
    page.reload()
    page.locator(".bill-on-hold").wait_for()
    assert "Rp 125.500" in page.locator(".big-amount").inner_text()
    bill.refresh_from_db()
    assert (bill.status, bill.total) == (Bill.Status.DISPUTED, 125500)
    assert not bill.lines.filter(kind=BillLine.Kind.LATE_FEE).exists()
    assert page.get_by_role("link", name="Tagihan ini tampak keliru").count() == 0


def test_the_complaints_desk_reads_the_questioned_bill_on_the_ticket_at_360_px(
    page, live_server, customer, customer_connection, complaints_user
):
    category("billing")
    MeterReadingFactory(connection=customer_connection, period=datetime.date(2026, 1, 1), reading=140)
    bill = BillFactory(connection=customer_connection, period=datetime.date(2026, 1, 1), total=30000)
    complaint = question_bill(bill, customer=customer, reason="Terlalu mahal").complaint
    signed_in(page, live_server, complaints_user)

    page.goto(reverse("complaints_staff:ticket", args=[complaint.ticket]))

    linked = page.locator(".linked-record")
    assert "140 m³" in linked.inner_text()
    assert linked.get_by_role("link").get_attribute("href") == complaint.linked_url
    found = check_page(page)
    assert (found["scrollWidth"], found["outside"], found["axe"]) == (360, [], [])
