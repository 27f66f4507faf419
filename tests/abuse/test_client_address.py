"""Behind one reverse proxy (PROXY_COUNT=1) every limit keys on the client, not on the proxy's address."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.casework import record_view
from accounts.clients import client_address
from accounts.models import AuditEntry, User
from billing.payments.models import Payment
from complaints.models import ComplaintEvent
from complaints.views.public import SESSION_KEY
from tests.factories.accounts import UserFactory
from tests.factories.complaints import ComplaintFactory
from tests.factories.payments import open_bills_of

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.PROXY_COUNT = 1


def via_proxy(client_ip: str) -> Client:
    """A browser at `client_ip` whose requests reach us through the proxy, which appends that address."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip)


def request_from(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_the_client_is_the_hop_the_proxy_appended_not_what_the_client_wrote():
    assert client_address(request_from(PROXY, "6.6.6.6, 203.0.113.7")) == "203.0.113.7"


def test_without_a_proxy_the_forwarded_header_is_ignored(settings):
    settings.PROXY_COUNT = 0
    assert client_address(request_from("203.0.113.7", "6.6.6.6")) == "203.0.113.7"


def test_a_forwarded_hop_that_is_not_an_address_falls_back_to_the_peer():
    assert client_address(request_from(PROXY, "<script>")) == PROXY


def test_bill_lookups_of_distinct_clients_behind_the_proxy_do_not_share_a_limit(settings, unlinked_connection):
    settings.BILL_LOOKUP_RATE = "2/h"  # an hour: a minute window could roll over mid-test
    form = {"account_number": unlinked_connection.account_number}
    for _ in range(2):
        via_proxy("203.0.113.7").post(reverse("billing:lookup"), form)
    assert via_proxy("203.0.113.7").post(reverse("billing:lookup"), form).status_code == 429
    assert via_proxy("198.51.100.9").post(reverse("billing:lookup"), form).status_code == 200


def test_public_payments_of_distinct_clients_behind_the_proxy_do_not_share_a_limit(settings, unlinked_connection):
    settings.BILL_LOOKUP_RATE = "1/h"  # an hour: a minute window could roll over mid-test
    open_bills_of(unlinked_connection, 50000)
    form = {"account_number": unlinked_connection.account_number}
    via_proxy("203.0.113.7").post(reverse("payments:pay-public"), form)
    via_proxy("203.0.113.7").post(reverse("payments:pay-public"), form)
    via_proxy("198.51.100.9").post(reverse("payments:pay-public"), form)
    assert Payment.objects.count() == 2


def test_tracking_by_distinct_clients_behind_the_proxy_does_not_share_a_limit(settings):
    settings.COMPLAINTS_TRACK_RATE = "1/h"
    complaint = ComplaintFactory(reporter_phone="+6281234567890")
    form = {"ticket": complaint.ticket, "phone_last4": "0000"}
    via_proxy("203.0.113.7").post(reverse("complaints:track"), form)
    assert via_proxy("203.0.113.7").post(reverse("complaints:track"), form).status_code == 429
    assert via_proxy("198.51.100.9").post(reverse("complaints:track"), form).status_code == 200


def test_a_sign_in_lockout_behind_the_proxy_locks_only_the_guessing_client():
    UserFactory(email="budi@example.test", password="the-right-one")
    guesser = via_proxy("203.0.113.7")
    for _ in range(5):
        guesser.post(reverse("accounts:login"), {"username": "budi@example.test", "password": "wrong"})
    owner = via_proxy("198.51.100.9")
    owner.post(reverse("accounts:login"), {"username": "budi@example.test", "password": "the-right-one"})
    assert "_auth_user_id" in owner.session
    retry = guesser.post(reverse("accounts:login"), {"username": "budi@example.test", "password": "the-right-one"})
    assert retry.status_code == 429


def test_the_audit_log_records_the_client_behind_the_proxy(counter_user, unlinked_connection):
    browser = via_proxy("203.0.113.7")
    browser.force_login(counter_user)
    browser.get(reverse("portal:staff-account", args=[unlinked_connection.account_number]))
    assert AuditEntry.objects.get(action="connection.view").client_address == "203.0.113.7"


def test_an_action_outside_a_request_records_no_client(counter_user, unlinked_connection):
    record_view(counter_user, unlinked_connection)
    assert AuditEntry.objects.get().client_address is None


def test_comments_of_distinct_clients_behind_the_proxy_do_not_share_a_limit(settings):
    settings.COMPLAINTS_COMMENT_RATE_PER_CLIENT = "1/h"
    first, second = ComplaintFactory(), ComplaintFactory()
    for complaint, address in ((first, "203.0.113.7"), (second, "198.51.100.9")):
        browser = via_proxy(address)
        session = browser.session
        session[SESSION_KEY] = [complaint.ticket]
        session.save()
        browser.post(reverse("complaints:comment", args=[complaint.ticket]), {"text": "Masih bocor"})
    assert ComplaintEvent.objects.filter(kind=ComplaintEvent.Kind.COMMENT).count() == 2


def test_registrations_of_distinct_clients_behind_the_proxy_do_not_share_a_limit(settings):
    settings.REGISTRATION_RATE_PER_CLIENT = "1/h"
    for n, address in enumerate(("203.0.113.7", "198.51.100.9")):
        via_proxy(address).post(
            reverse("accounts:register"),
            {
                "full_name": "Siti Aminah",
                "email": f"siti{n}@example.test",
                "password1": "air-bersih-2026",
                "password2": "air-bersih-2026",
            },
        )
    assert User.objects.filter(email__startswith="siti").count() == 2
