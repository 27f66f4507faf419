"""The bill page in the admin still lists a bill's lines, read-only, now that lines carry a real foreign key.

(Only superusers see the lines today: no role is granted billing.view_billline.)"""

import pytest
from django.urls import reverse

from tests.factories.billing import BillLineFactory

pytestmark = pytest.mark.django_db


def test_the_admin_bill_page_lists_its_lines_read_only(admin_client):
    line = BillLineFactory(description="0–10 m³ bench")
    response = admin_client.get(reverse("admin:billing_bill_change", args=[line.bill_id]))
    assert response.status_code == 200
    assert "0–10 m³ bench" in response.content.decode()
    assert 'name="lines-0-amount"' not in response.content.decode()
