"""Property-based: whatever is posted to a public form (any unicode, NUL, very long or repeated values, numbers
where text is expected, injection strings, odd files), no page answers 5xx and invalid input stores nothing.

The payment notification endpoint has its own suite (tests/payments). Examples are bounded (strategies.bounded).
"""

from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import example, given

from accounts.models import ConnectionLink, Notification, User
from billing.payments.models import Payment
from complaints.models import Complaint, ComplaintEvent, ComplaintPhoto
from complaints.views.public import SESSION_KEY
from tests.abuse.strategies import bounded, files, form
from tests.factories.accounts import ServiceConnectionFactory, UserFactory
from tests.factories.complaints import ComplaintFactory
from tests.factories.payments import open_bills_of

pytestmark = pytest.mark.django_db
REPORT_FIELDS = ["address", "area", "latitude", "longitude", "reporter_email", "website"]
# Plausible values of the required fields (migrations seed the categories; ids 1-3 exist).
REPORT = {
    "category": ["1", "2", "3"],
    "description": ["Pipa bocor di depan rumah"],
    "reporter_name": ["Budi"],
    "reporter_phone": ["0812 3456 7890"],
}
REGISTRATION = {
    "full_name": ["Siti Aminah"],
    "email": ["siti@example.test", "budi@example.test"],
    "phone": ["0813 1111 2222", "0812 3456 7890", ""],
    "password1": ["air-bersih-2026"],
    "password2": ["air-bersih-2026"],
}


@pytest.fixture(autouse=True)
def _limits_out_of_the_way(settings):
    """Limits have their own tests; here every example must reach the form, not a 429."""
    for name in (
        "BILL_LOOKUP_RATE",
        "COMPLAINTS_RATE_PER_CLIENT",
        "COMPLAINTS_RATE_PER_PHONE",
        "COMPLAINTS_TRACK_RATE",
        "COMPLAINTS_COMMENT_RATE_PER_CLIENT",
        "COMPLAINTS_COMMENT_RATE_PER_TICKET",
        "PASSWORD_RESET_RATE_PER_CLIENT",
        "PASSWORD_RESET_RATE_PER_ADDRESS",
        "REGISTRATION_RATE_PER_CLIENT",
    ):
        setattr(settings, name, "100000/m")
    settings.AXES_FAILURE_LIMIT = 100000
    settings.LINK_FAILURE_LIMIT = 100000


@pytest.fixture
def holder():
    """A real account with open bills, so that a guessed account number could point at something."""
    connection = ServiceConnectionFactory(account_number="1001000042", meter_number="MTR-77-0001234")
    open_bills_of(connection, 50000)
    ComplaintFactory(ticket="ADU-2026-000001", reporter_phone="+6281234567890")
    return UserFactory(email="budi@example.test", phone="+6281234567890")


@contextmanager
def isolated():
    """Examples share the test's transaction: each runs in a savepoint rolled back after it, with fresh rate
    counters, so what one example stored cannot change what the next one sees."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def tracked(complaint) -> Client:
    browser = Client()
    session = browser.session
    session[SESSION_KEY] = [complaint.ticket]
    session.save()
    return browser


def answered(response) -> int:
    assert response.status_code < 500, response.status_code
    return response.status_code


@bounded
@given(data=form(account_number=["1001000042", "1001 000 042"]))
def test_the_bill_lookup_never_fails(client, holder, data):
    with isolated():
        answered(client.post(reverse("billing:lookup"), data))


@bounded
@given(data=form(account_number=["1001000042"], email=["budi@example.test", ""]))
def test_paying_as_a_guest_never_fails_and_starts_no_payment_for_a_wrong_number(client, holder, data):
    with isolated():
        answered(client.post(reverse("payments:pay-public"), data))
        assert set(Payment.objects.values_list("connection__account_number", flat=True)) <= {"1001000042"}


@bounded
@given(data=form(*REPORT_FIELDS, **REPORT), photos=files)
def test_the_report_form_never_fails_and_files_nothing_invalid(client, holder, data, photos):
    with isolated():
        complaints = Complaint.objects.count()
        if answered(client.post(reverse("complaints:new"), {**data, "photos": photos})) != 302:
            assert Complaint.objects.count() == complaints
            assert not ComplaintPhoto.objects.exists()


@bounded
@given(data=form(ticket=["ADU-2026-000001", "adu 2026 1"], phone_last4=["7890", "1234"]))
@example(data={"ticket": "ADU-²⁰²⁶-000001", "phone_last4": "7890"})  # issue 10: int() of superscripts
def test_tracking_never_fails_and_opens_only_the_matching_ticket(client, holder, data):
    with isolated():
        answered(client.post(reverse("complaints:track"), data))
        assert set(client.session.get(SESSION_KEY, [])) <= {"ADU-2026-000001"}


@bounded
@given(data=form("text"), photos=files)
def test_the_comment_form_never_fails_and_a_refused_comment_stores_nothing(holder, data, photos):
    with isolated():
        complaint = ComplaintFactory()
        url = reverse("complaints:comment", args=[complaint.ticket])
        if answered(tracked(complaint).post(url, {**data, "photos": photos})) != 302:
            assert not complaint.events.exists()
            assert not ComplaintPhoto.objects.exists()


@bounded
@given(data=form("comment", rating=["1", "3", "5"]))
def test_the_rating_form_never_fails_and_stores_only_a_rating_from_one_to_five(holder, data):
    with isolated():
        complaint = ComplaintFactory(status=Complaint.Status.RESOLVED)
        answered(tracked(complaint).post(reverse("complaints:rate", args=[complaint.ticket]), data))
        complaint.refresh_from_db()
        assert complaint.rating in (None, 1, 2, 3, 4, 5)
        if complaint.rating is None:
            assert not complaint.events.filter(kind=ComplaintEvent.Kind.RATING).exists()


@bounded
@given(data=form(username=["budi@example.test", "0812 3456 7890"], password=["wrong-password"]))
def test_sign_in_never_fails_and_signs_nobody_in(client, holder, data):
    with isolated():
        answered(client.post(reverse("accounts:login"), data))
        assert "_auth_user_id" not in client.session


@bounded
@given(data=form(**REGISTRATION))
def test_registration_never_fails_and_creates_nothing_from_invalid_input(client, holder, data):
    with isolated():
        users = User.objects.count()
        if answered(client.post(reverse("accounts:register"), data)) != 302:
            assert User.objects.count() == users
        assert "_auth_user_id" not in client.session


@bounded
@given(data=form(email=["budi@example.test", "BUDI@example.test"]))
def test_password_reset_never_fails_and_sends_nothing_to_a_wrong_address(client, holder, data):
    with isolated():
        answered(client.post(reverse("accounts:password-reset"), data))
        assert set(Notification.objects.values_list("to_address", flat=True)) <= {holder.email}


@bounded
@given(data=form("answer", account_number=["1001000042"]))
@example(data={"account_number": "1001000042", "answer": "²"})  # issue 10: int() of superscripts
def test_linking_never_fails_and_links_nothing_without_the_right_answer(customer_client, holder, data):
    with isolated():
        links = ConnectionLink.objects.count()
        answered(customer_client.post(reverse("accounts:link"), data))
        assert ConnectionLink.objects.count() == links
