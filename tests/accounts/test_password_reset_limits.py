"""Password reset links are bounded per target address and per client."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, User
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db
RESET = reverse("accounts:password-reset")


def ask(address: str, email: str = "budi@example.test"):
    return Client(REMOTE_ADDR=address).post(RESET, {"email": email})


def ask_again_later(address: str, user, minutes: int):
    """A request some minutes on: the reset token differs, so the outbox does not merge it with the last one."""
    User.objects.filter(pk=user.pk).update(last_login=timezone.now() - timedelta(minutes=minutes))
    return ask(address)


def reset_links_to(email: str) -> int:
    return Notification.objects.filter(template="accounts/password_reset", to_address=email).count()


def test_one_address_gets_at_most_the_limit_of_reset_links_whatever_the_client(settings):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "2/h"
    user = UserFactory(email="budi@example.test")
    for n in range(5):
        ask_again_later(f"203.0.113.{n + 1}", user, minutes=n)
    assert reset_links_to("budi@example.test") == 2


def test_a_limited_address_gets_the_same_answer_as_a_sent_link(settings):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "1/h"
    UserFactory(email="budi@example.test")
    sent = ask("203.0.113.1")
    held_back = ask("203.0.113.2")
    assert sent["Location"] == held_back["Location"] == reverse("accounts:password-reset-done")


def test_one_client_asking_for_many_addresses_is_stopped(settings):
    settings.PASSWORD_RESET_RATE_PER_CLIENT = "3/h"
    for n in range(3):
        UserFactory(email=f"user{n}@example.test")
    UserFactory(email="last@example.test")
    for n in range(3):
        ask("203.0.113.7", f"user{n}@example.test")
    response = ask("203.0.113.7", "last@example.test")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.content.decode()
    assert reset_links_to("last@example.test") == 0


def test_the_client_limit_behind_a_proxy_keys_on_the_forwarded_client(settings):
    settings.PROXY_COUNT = 1
    settings.PASSWORD_RESET_RATE_PER_CLIENT = "1/h"
    UserFactory(email="budi@example.test")
    Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7").post(RESET, {"email": "x@example.test"})
    other = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9").post(
        RESET, {"email": "budi@example.test"}
    )
    assert other.status_code == 302
    assert reset_links_to("budi@example.test") == 1
