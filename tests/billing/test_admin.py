"""Billing records in the admin: the bill page lists its lines read-only (only superusers see the lines today:
no role is granted billing.view_billline), and what issue 14 added (customers' own stands, questioned bills,
reading corrections, the credit ledger) is read-only for billing staff."""

import pytest
from django.db import transaction
from django.forms.models import model_to_dict
from django.urls import reverse

from billing import credit
from billing.models import BillDispute, ReadingCorrection, SelfReading
from billing.payments.models import CreditBalance, CreditEntry
from tests.factories.billing import BillFactory, BillLineFactory, MeterReadingFactory

pytestmark = pytest.mark.django_db


def test_the_admin_bill_page_lists_its_lines_read_only(admin_client):
    line = BillLineFactory(description="0–10 m³ bench")
    response = admin_client.get(reverse("admin:billing_bill_change", args=[line.bill_id]))
    assert response.status_code == 200
    assert "0–10 m³ bench" in response.content.decode()
    assert 'name="lines-0-amount"' not in response.content.decode()


# --- The issue-14 records: billing staff see them in the admin but change them only on their own pages ---------


def _self_reading():
    reading = MeterReadingFactory()
    return SelfReading.objects.create(
        connection=reading.connection, period=reading.period, reading=120, photo="self-readings/meter.jpg"
    )


def _dispute():
    bill = BillFactory()
    return BillDispute.objects.create(bill=bill, reason="Terlalu mahal", status_before=bill.status)


def _correction():
    return ReadingCorrection.objects.create(reading=MeterReadingFactory(), new_reading=100, new_usage=10)


def _credit_entry():
    bill = BillFactory()
    with transaction.atomic():
        return credit.add(bill.connection_id, 40000, CreditEntry.Kind.REPLACED, bill=bill)


def _credit_balance():
    return CreditBalance.objects.get(connection_id=_credit_entry().connection_id)


RECORDS = {
    "selfreading": _self_reading,
    "billdispute": _dispute,
    "readingcorrection": _correction,
    "creditentry": _credit_entry,
    "creditbalance": _credit_balance,
}


@pytest.mark.parametrize("model", RECORDS)
def test_billing_staff_see_the_record_in_the_admin_read_only(client, billing_user, model):
    record = RECORDS[model]()
    client.force_login(billing_user)
    response = client.get(reverse(f"admin:billing_{model}_change", args=[record.pk]))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()


@pytest.mark.parametrize("model", RECORDS)
def test_billing_staff_cannot_change_the_record_through_the_admin(client, billing_user, model):
    record = RECORDS[model]()
    before = model_to_dict(type(record).objects.get(pk=record.pk))
    client.force_login(billing_user)
    response = client.post(reverse(f"admin:billing_{model}_change", args=[record.pk]), {"_save": "1"})
    assert response.status_code == 403
    assert model_to_dict(type(record).objects.get(pk=record.pk)) == before


@pytest.mark.parametrize("model", RECORDS)
def test_billing_staff_can_neither_add_nor_delete_the_record_through_the_admin(client, billing_user, model):
    record = RECORDS[model]()
    client.force_login(billing_user)
    assert client.get(reverse(f"admin:billing_{model}_add")).status_code == 403
    assert client.post(reverse(f"admin:billing_{model}_delete", args=[record.pk]), {"post": "yes"}).status_code == 403
    assert type(record).objects.filter(pk=record.pk).exists()
