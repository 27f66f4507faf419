import pytest

from tests.factories.snap import Bank, client_transport, snap_partner


@pytest.fixture(autouse=True)
def _mail_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def bank_partner(db):
    return snap_partner()


@pytest.fixture
def bank(client, bank_partner):
    """The test bank talking to Tirta in-process, already holding a valid access token."""
    partner, secret = bank_partner
    bank = Bank(client_transport(client), partner.partner_id, secret)
    status, _ = bank.token()
    assert status == 200
    return bank
