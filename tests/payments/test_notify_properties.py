"""Property: whatever arrives at POST /payments/notify/ unsigned, the answer is never a 5xx and nothing but the
rejected notification itself is stored."""

import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Notification
from billing.models import Bill
from billing.payments.models import Payment, PaymentNotification, Receipt
from tests.factories.payments import open_bills_of, pending_payment

pytestmark = pytest.mark.django_db

FIELDS = ("order_id", "status_code", "gross_amount", "transaction_status", "signature_key", "payment_type")
HOSTILE = st.sampled_from(
    [
        *("a\u0000", "\u0000", "\ud800", "' OR 1=1 --", "<script>alert(1)</script>", "²⁰²⁶"),
        *("NaN", "sNaN", "-Infinity", "1e999", "1" * 5000),
    ]
)
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50) | HOSTILE
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner), max_leaves=10
)
long_text = st.text(min_size=1000, max_size=5000)
notifications = st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, values | long_text))
bodies = (
    st.binary(max_size=500)
    | st.text(max_size=500).map(str.encode)
    | notifications.map(lambda data: json.dumps(data).encode())
    | st.integers(1, 200_000).map(lambda depth: b"[" * depth)
)


@pytest.fixture
def payment(customer_connection):
    return pending_payment(open_bills_of(customer_connection, 50000))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_no_unsigned_body_gives_a_server_error_or_changes_anything(client, payment, body):
    stored_before = PaymentNotification.objects.count()
    response = client.post(reverse("payments:notify"), data=body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert PaymentNotification.objects.count() == stored_before + 1
    assert PaymentNotification.objects.latest("pk").outcome == PaymentNotification.Outcome.REJECTED
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert not Receipt.objects.exists()
    assert not Notification.objects.exists()
    assert set(Bill.objects.values_list("status", flat=True)) == {Bill.Status.OPEN}
