import pytest

from tests.factories.payments import SERVER_KEY


@pytest.fixture(autouse=True)
def _payment_settings(settings):
    settings.PAYMENT_SERVER_KEY = SERVER_KEY
    settings.PAYMENT_SANDBOX_ENABLED = True
    settings.PAYMENT_PROVIDER = "sandbox"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
