import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from accounts.models import AuditEntry
from billing.models import MeterReading, ReadingsImport
from billing.readings import record_readings
from billing.readings_import import run_import
from tests.factories.accounts import ServiceConnectionFactory

pytestmark = pytest.mark.django_db
URL = reverse("billing:import-readings")
CSV = b"account_number,period,reading,read_on\n1000000077,2026-02,118,2026-02-03\n42,2026-02,1,2026-02-03\n"


def upload(client, data=CSV):
    """Upload a file; the import task runs in-process once the upload commits, and its page is followed."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(URL, {"file": SimpleUploadedFile("feb.csv", data, content_type="text/csv")})
    return client.get(response["Location"])


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


# --- the import runs in the background ----------------------------------------------------------------------


def test_an_upload_is_queued_and_its_page_shows_the_progress_until_the_worker_runs(client, billing_user):
    ServiceConnectionFactory(account_number="1000000077")
    client.force_login(billing_user)
    response = client.post(URL, {"file": SimpleUploadedFile("feb.csv", CSV, content_type="text/csv")})
    started = ReadingsImport.objects.get()
    assert response["Location"] == reverse("billing:readings-import", args=[started.pk])
    assert started.status == ReadingsImport.Status.QUEUED
    assert not MeterReading.objects.exists()  # nothing recorded inside the request
    page = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page  # without JavaScript the page reloads itself
    assert 'hx-trigger="every 2s"' in page


def test_the_progress_part_stops_polling_once_the_import_is_done(client, billing_user):
    ServiceConnectionFactory(account_number="1000000077")
    client.force_login(billing_user)
    upload(client)
    started = ReadingsImport.objects.get()
    part = client.get(reverse("billing:readings-import", args=[started.pk]), headers={"HX-Request": "true"})
    body = part.content.decode()
    assert "hx-trigger" not in body
    assert "1 stand meter baru" in body


def test_a_second_delivery_of_the_task_imports_nothing_twice(client, billing_user):
    ServiceConnectionFactory(account_number="1000000077")
    client.force_login(billing_user)
    upload(client)
    run_import(ReadingsImport.objects.get().pk)
    assert AuditEntry.objects.filter(action="billing.import_readings").count() == 1


def test_progress_is_written_after_each_chunk(billing_user, monkeypatch):
    rows = "".join(f"{1000000100 + n},2026-02,{n},2026-02-03\n" for n in range(5))
    started = ReadingsImport.objects.create(
        uploaded_by=billing_user, filename="big.csv", data=b"account_number,period,reading,read_on\n" + rows.encode()
    )
    monkeypatch.setattr("billing.readings.CHUNK", 2)
    stored = []

    def watched(inputs, progress):
        """record_readings, noting what the import's row says after each progress report."""

        def report(done):
            progress(done)
            stored.append(ReadingsImport.objects.get(pk=started.pk).done)

        return record_readings(inputs, progress=report)

    monkeypatch.setattr("billing.readings_import.record_readings", watched)
    run_import(started.pk)
    assert stored == [2, 4, 5]


def test_another_roles_staff_cannot_open_an_import(client, counter_user, billing_user):
    started = ReadingsImport.objects.create(uploaded_by=billing_user, filename="feb.csv", data=CSV)
    client.force_login(counter_user)
    assert client.get(reverse("billing:readings-import", args=[started.pk])).status_code == 403
