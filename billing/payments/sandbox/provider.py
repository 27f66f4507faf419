"""The sandbox: a built-in stand-in for an Indonesian gateway, for the demo and the tests.

Its hosted checkout page lives under /sandbox-gateway/ (billing/payments/sandbox.py) and behaves like a
separate service: it knows only what the checkout token carries, and reports the result to our notification
endpoint server to server, signed like Midtrans, retrying while we do not answer 2xx.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from billing.payments.models import Payment
from billing.payments.providers.base import Checkout, PaymentProvider, ProviderError

TOKEN_SALT = "billing.payments.sandbox-gateway"  # noqa: S105 (a signing salt, not a secret)


def gross_amount(amount: int) -> str:
    """How Midtrans writes amounts in notifications: `"125500.00"`."""
    return f"{amount}.00"


class SandboxProvider(PaymentProvider):
    identifier = "sandbox"

    def create_checkout(self, payment: Payment, *, finish_url: str) -> Checkout:
        if not settings.PAYMENT_SANDBOX_ENABLED:
            raise ProviderError("the sandbox gateway is disabled (PAYMENT_SANDBOX_ENABLED)")
        token = signing.dumps(
            {"order_id": payment.order_id, "gross_amount": gross_amount(payment.amount), "finish": finish_url},
            salt=TOKEN_SALT,
        )
        return Checkout(redirect_url=reverse("sandbox:checkout", args=[token]), reference=token)
