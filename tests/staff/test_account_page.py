"""The account page: everything about one connection, each view of it audited, and a constant query count."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from billing.models import Bill
from billing.payments import services
from tests.factories.accounts import ConnectionLinkFactory, ServiceConnectionFactory
from tests.factories.billing import BillFactory
from tests.factories.complaints import ComplaintFactory
from tests.factories.staff import NotificationFactory, StaffNoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection(db):
    return ServiceConnectionFactory(
        account_number="1001000042",
        customer__name="Siti Aminah",
        customer__phone="+6281234567890",
        customer__email="siti@example.test",
        meter_number="M21-0500005",
    )


def url(connection) -> str:
    return reverse("portal:staff-account", args=[connection.account_number])


def test_anonymous_visitors_are_sent_to_sign_in(client, connection):
    assert client.get(url(connection)).status_code == 302


def test_customers_get_a_404_even_for_their_own_connection(customer_client, customer_connection):
    assert customer_client.get(url(customer_connection)).status_code == 404


def test_field_staff_may_not_open_account_pages(client, field_user, connection):
    client.force_login(field_user)
    assert client.get(url(connection)).status_code == 403


def test_an_unknown_account_number_is_a_404(client, counter_user):
    client.force_login(counter_user)
    assert client.get(reverse("portal:staff-account", args=["9999999999"])).status_code == 404


def test_the_page_shows_holder_contact_and_connection_data(client, counter_user, connection):
    client.force_login(counter_user)
    body = client.get(url(connection)).content.decode()
    for text in ("Siti Aminah", "0812-3456-7890", "siti@example.test", "M21-0500005", connection.area.name):
        assert text in body


def test_the_page_lists_notes_messages_and_portal_users(client, counter_user, connection):
    StaffNoteFactory(connection=connection, text="Janji bayar tanggal 25")
    NotificationFactory(customer=connection.customer, to_address="siti@example.test", template="billing/due_reminder")
    ConnectionLinkFactory(connection=connection, user__full_name="Ahmad Portal")
    client.force_login(counter_user)
    body = client.get(url(connection)).content.decode()
    for text in ("Janji bayar tanggal 25", "billing/due_reminder", "Ahmad Portal"):
        assert text in body


def test_every_view_of_an_account_page_is_audited(client, counter_user, connection):
    client.force_login(counter_user)
    client.get(url(connection))
    client.get(url(connection))
    views = AuditEntry.objects.filter(action="connection.view", connection=connection)
    assert views.count() == 2
    assert {entry.actor for entry in views} == {counter_user}


def test_the_query_count_does_not_grow_with_the_history(client, counter_user, connection, django_assert_num_queries):
    client.force_login(counter_user)
    client.get(url(connection))

    def count() -> int:
        from django.db import connection as db
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(db) as queries:
            assert client.get(url(connection)).status_code == 200
        return len(queries)

    few = count()
    assert few <= 15  # bills and unpaid bills in one query, the credit balance with the connection, the
    # unreachable contacts with the messages received
    for index in range(30):
        bill = BillFactory(connection=connection, period=datetime.date(2020 + index // 12, index % 12 + 1, 1))
        services.take_cash(
            connection, cashier=counter_user, bill_ids=[bill.pk], expected_total=bill.total, tendered=bill.total
        )
        ComplaintFactory(connection=connection)
        StaffNoteFactory(connection=connection)
        NotificationFactory(customer=connection.customer, dedupe_key=f"history-{index}")
        ConnectionLinkFactory(connection=connection)
    with django_assert_num_queries(few):
        client.get(url(connection))


def test_open_bills_and_the_arrears_are_shown_with_a_print_link(client, counter_user, connection):
    january = BillFactory(connection=connection, period=datetime.date(2026, 1, 1), total=50_000)
    BillFactory(connection=connection, period=datetime.date(2026, 2, 1), total=75_500)
    BillFactory(connection=connection, period=datetime.date(2025, 12, 1), total=40_000, status=Bill.Status.PAID)
    client.force_login(counter_user)
    body = client.get(url(connection)).content.decode()
    assert "Rp 125.500" in body
    assert reverse("billing:bill-pdf", args=[january.pk]) in body
    assert "Desember 2025" in body
