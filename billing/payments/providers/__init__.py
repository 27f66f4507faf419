"""The registry of payment providers, by the identifier stored on each payment."""

from django.conf import settings
from django.utils.module_loading import import_string

from billing.payments.providers.base import PaymentProvider

# By dotted path: the provider modules import providers.base, so importing them here would be a circle.
_PROVIDERS: dict[str, str] = {
    "counter": "billing.payments.providers.counter.CounterProvider",
    "sandbox": "billing.payments.sandbox.provider.SandboxProvider",
    "midtrans": "billing.payments.providers.midtrans.MidtransProvider",
}


def get_provider(identifier: str) -> PaymentProvider:
    """The provider of that identifier; KeyError for one we do not know."""
    provider: type[PaymentProvider] = import_string(_PROVIDERS[identifier])
    return provider()


def online_provider() -> PaymentProvider:
    """The gateway customers pay through: PAYMENT_PROVIDER, or the sandbox while it is enabled."""
    identifier = settings.PAYMENT_PROVIDER or ("sandbox" if settings.PAYMENT_SANDBOX_ENABLED else "midtrans")
    return get_provider(identifier)
