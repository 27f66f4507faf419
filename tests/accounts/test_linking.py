import pytest
from django.urls import reverse

from accounts import services
from accounts.models import ConnectionLink, LinkAttempt, ServiceConnection
from tests.factories.accounts import ServiceConnectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection():
    return ServiceConnectionFactory(account_number="1001000042", meter_number="MTR-77-0001234")


@pytest.fixture
def user():
    return UserFactory()


def test_the_meter_serial_number_proves_the_holder_ignoring_spaces_dashes_and_case(user, connection):
    linked = services.link_connection(user, " 1001 000 042 ", "mtr 77 0001234")
    assert linked == connection
    assert ConnectionLink.objects.filter(user=user, connection=connection).exists()


def test_linking_twice_keeps_one_link(user, connection):
    services.link_connection(user, "1001000042", "MTR-77-0001234")
    services.link_connection(user, "1001000042", "MTR-77-0001234")
    assert ConnectionLink.objects.filter(user=user).count() == 1


def test_a_wrong_answer_is_refused_and_counted(user, connection):
    with pytest.raises(services.LinkRefused):
        services.link_connection(user, "1001000042", "MTR-00-0000000")
    assert not ConnectionLink.objects.exists()
    assert LinkAttempt.objects.filter(account_number="1001000042", succeeded=False).count() == 1


def test_an_unknown_number_is_refused_exactly_like_a_wrong_answer(user):
    with pytest.raises(services.LinkRefused):
        services.link_connection(user, "9999999999", "MTR-77-0001234")


def test_a_closed_connection_cannot_be_linked(user, connection):
    ServiceConnection.objects.filter(pk=connection.pk).update(status=ServiceConnection.Status.CLOSED)
    with pytest.raises(services.LinkRefused):
        services.link_connection(user, "1001000042", "MTR-77-0001234")


def test_five_failures_lock_the_number_even_for_the_right_answer(user, connection):
    for _ in range(5):
        with pytest.raises(services.LinkRefused):
            services.link_connection(user, "1001000042", "wrong")
    with pytest.raises(services.LinkLocked) as locked:
        services.link_connection(UserFactory(), "1001000042", "MTR-77-0001234")
    assert 1 <= locked.value.minutes <= 30


def test_an_unknown_number_locks_the_same_way_so_locking_reveals_nothing(user):
    for _ in range(5):
        with pytest.raises(services.LinkRefused):
            services.link_connection(user, "9999999999", "wrong")
    with pytest.raises(services.LinkLocked):
        services.link_connection(user, "9999999999", "wrong")


def test_one_user_trying_many_numbers_is_locked_after_ten_failures(user):
    for number in range(10):
        with pytest.raises(services.LinkRefused):
            services.link_connection(user, f"100200{number:04d}", "wrong")
    with pytest.raises(services.LinkLocked):
        services.link_connection(user, "1002009999", "wrong")


def test_failures_older_than_the_window_no_longer_count(user, connection, settings):
    settings.LINK_LOCKOUT_MINUTES = 0
    for _ in range(6):
        with pytest.raises(services.LinkRefused):
            services.link_connection(user, "1001000042", "wrong")
    assert services.link_connection(user, "1001000042", "MTR-77-0001234") == connection


def test_the_link_page_shows_one_message_for_unknown_and_wrong(customer_client, connection):
    url = reverse("accounts:link")
    unknown = customer_client.post(url, {"account_number": "9999999999", "answer": "x"}).content.decode()
    wrong = customer_client.post(url, {"account_number": "1001000042", "answer": "x"}).content.decode()
    message = "Nomor pelanggan dan jawaban itu tidak cocok"
    assert message in unknown
    assert message in wrong


def test_the_link_page_adds_the_connection_and_returns_to_the_dashboard(customer_client, customer, connection):
    response = customer_client.post(
        reverse("accounts:link"), {"account_number": "1001000042", "answer": "MTR-77-0001234"}
    )
    assert response["Location"] == reverse("portal:dashboard")
    assert customer.connections.filter(pk=connection.pk).exists()


def test_a_customer_can_remove_only_their_own_link(customer_client, customer, other_customer):
    others = other_customer.connections.get()
    customer_client.post(reverse("accounts:unlink", args=[others.pk]))
    assert other_customer.connections.filter(pk=others.pk).exists()
    own = customer.connections.get()
    customer_client.post(reverse("accounts:unlink", args=[own.pk]))
    assert not customer.connections.exists()
