"""The registry of payment providers, by the identifier stored on each payment."""

from django.conf import settings

from billing.payments.providers.base import PaymentProvider
from billing.payments.providers.counter import CounterProvider
from billing.payments.providers.midtrans import MidtransProvider
from billing.payments.sandbox.provider import SandboxProvider

_PROVIDERS: dict[str, type[PaymentProvider]] = {
    provider.identifier: provider for provider in (CounterProvider, SandboxProvider, MidtransProvider)
}


def get_provider(identifier: str) -> PaymentProvider:
    """The provider of that identifier; KeyError for one we do not know."""
    return _PROVIDERS[identifier]()


def online_provider() -> PaymentProvider:
    """The gateway customers pay through: PAYMENT_PROVIDER, or the sandbox while it is enabled."""
    identifier = settings.PAYMENT_PROVIDER or ("sandbox" if settings.PAYMENT_SANDBOX_ENABLED else "midtrans")
    return get_provider(identifier)
