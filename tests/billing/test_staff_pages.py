import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEntry
from billing.models import MeterReading
from tests.factories.accounts import ServiceConnectionFactory

pytestmark = pytest.mark.django_db
URL = reverse("billing:import-readings")
CSV = b"account_number,period,reading,read_on\n1000000077,2026-02,118,2026-02-03\n42,2026-02,1,2026-02-03\n"


def upload(client, data=CSV):
    return client.post(URL, {"file": SimpleUploadedFile("feb.csv", data, content_type="text/csv")})


def test_billing_staff_upload_readings_and_see_refused_rows_by_line(client, billing_user):
    ServiceConnectionFactory(account_number="1000000077")
    client.force_login(billing_user)
    body = upload(client).content.decode()
    assert MeterReading.objects.filter(connection__account_number="1000000077").exists()
    assert "<td>3</td>" in body
    assert AuditEntry.objects.filter(action="billing.import_readings", actor=billing_user).exists()


def test_the_upload_page_is_403_for_staff_without_the_billing_role(client, counter_user):
    client.force_login(counter_user)
    assert client.get(URL).status_code == 403


def test_the_upload_page_is_404_for_customers(customer_client):
    assert customer_client.get(URL).status_code == 404


def test_the_upload_page_sends_strangers_to_sign_in(client):
    assert client.get(URL).status_code == 302


def test_a_binary_file_is_refused_with_a_message(client, billing_user):
    client.force_login(billing_user)
    response = upload(client, b"\x89PNG\r\n\x1a\n\x00\xff")
    assert response.status_code == 200
    assert not MeterReading.objects.exists()
