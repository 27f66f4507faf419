"""Forms with errors open with a summary of every error, and each field's error is tied to its input."""

import re

import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def refused_registration(client):
    response = client.post(reverse("accounts:register"), {"full_name": "", "email": "not-an-email", "phone": ""})
    return response.content.decode()


def test_a_refused_form_opens_with_an_error_summary_linking_each_field(refused_registration):
    summary = re.search(r'<div class="error-summary".*?</div>', refused_registration, re.S).group(0)
    assert 'role="alert"' in summary
    assert 'href="#id_email"' in summary
    assert 'href="#id_full_name"' in summary
    assert not User.objects.exists()


def test_each_field_error_is_tied_to_its_input_by_aria_describedby(refused_registration):
    email_input = re.search(r'<input[^>]*id="id_email"[^>]*>', refused_registration).group(0)
    described_by = re.search(r'aria-describedby="([^"]+)"', email_input).group(1).split()
    assert "id_email_error" in described_by
    assert 'id="id_email_error"' in refused_registration


def test_a_form_without_errors_has_no_summary(client):
    assert "error-summary" not in client.get(reverse("accounts:register")).content.decode()
