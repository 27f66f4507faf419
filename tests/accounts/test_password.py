import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Notification
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_a_reset_link_goes_out_by_e_mail_through_the_outbox_and_sets_a_new_password(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="budi@example.test", notify_email=False, notify_sms=True, phone="+6281234567890")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password-reset"), {"email": "budi@example.test"})
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert Notification.objects.get().channel == Notification.Channel.EMAIL  # whatever the preferences say
    [message] = mail.outbox
    assert message.subject == "Atur ulang kata sandi Tirta Anda"
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", message.body).group(0)
    path = link.split("8000", 1)[-1]
    form_page = client.get(path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "air-bersih-2026", "new_password2": "air-bersih-2026"},
    )
    user.refresh_from_db()
    assert user.check_password("air-bersih-2026")


def test_an_unknown_address_gets_the_same_answer_and_no_message(client):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.test"})
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert not Notification.objects.exists()


def test_changing_the_password_needs_the_old_one(customer_client, customer):
    url = reverse("accounts:password-change")
    customer_client.post(
        url, {"old_password": "wrong", "new_password1": "air-bersih-2026", "new_password2": "air-bersih-2026"}
    )
    customer.refresh_from_db()
    assert customer.check_password(DEFAULT_PASSWORD)
    customer_client.post(
        url, {"old_password": DEFAULT_PASSWORD, "new_password1": "air-bersih-2026", "new_password2": "air-bersih-2026"}
    )
    customer.refresh_from_db()
    assert customer.check_password("air-bersih-2026")
