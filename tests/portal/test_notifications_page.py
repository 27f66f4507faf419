import pytest
from django.urls import reverse

from accounts import outbox
from accounts.models import Notification

pytestmark = pytest.mark.django_db


def test_a_customer_sees_the_subjects_of_their_own_messages_only(customer_client, customer, other_customer):
    outbox.notify(customer, "accounts/password_reset", {"reset_url": "x"}, dedupe_key="mine")
    outbox.notify(other_customer, "accounts/password_reset", {"reset_url": "x"}, dedupe_key="theirs")
    Notification.objects.filter(user=other_customer).update(template="accounts/someone-elses")
    body = customer_client.get(reverse("portal:notifications")).content.decode()
    assert "Atur ulang kata sandi Tirta Anda" in body
    assert "someone-elses" not in body


def test_a_retired_message_kind_is_listed_by_its_name_instead_of_failing(customer_client, customer):
    outbox.notify(customer, "accounts/password_reset", {"reset_url": "x"}, dedupe_key="old")
    Notification.objects.update(template="accounts/retired_kind")
    assert "accounts/retired_kind" in customer_client.get(reverse("portal:notifications")).content.decode()


def test_the_list_costs_the_same_queries_however_many_messages(
    customer_client, customer, django_assert_max_num_queries
):
    for n in range(30):
        outbox.notify(customer, "accounts/password_reset", {"reset_url": "x"}, dedupe_key=f"k{n}")
    with django_assert_max_num_queries(4):
        customer_client.get(reverse("portal:notifications"))


def test_strangers_are_sent_to_sign_in(client):
    assert client.get(reverse("portal:notifications"))["Location"].startswith(reverse("accounts:login"))
