"""A real Celery worker on Redis imports an uploaded readings file in the background."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from billing.models import MeterReading, ReadingsImport
from tests.factories.accounts import ServiceConnectionFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_a_worker_imports_the_uploaded_file_while_the_page_follows(client, billing_user, celery_worker):
    numbers = [ServiceConnectionFactory().account_number for _ in range(3)]
    rows = "".join(f"{number},2026-02,{100 + n},2026-02-03\n" for n, number in enumerate(numbers))
    client.force_login(billing_user)
    data = ("account_number,period,reading,read_on\n" + rows).encode()
    response = client.post(
        reverse("billing:import-readings"), {"file": SimpleUploadedFile("feb.csv", data, content_type="text/csv")}
    )
    deadline = time.monotonic() + 30
    while not ReadingsImport.objects.get().finished and time.monotonic() < deadline:
        time.sleep(0.2)
    started = ReadingsImport.objects.get()
    assert (started.status, started.done, started.rows) == (ReadingsImport.Status.DONE, 3, 3)
    assert MeterReading.objects.filter(connection__account_number__in=numbers).count() == 3
    assert "3 stand meter baru" in client.get(response["Location"]).content.decode()
