"""Partners' secrets: shown once, stored so that a database dump does not reveal them, rotated at will."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts.models import AuditEntry
from accounts.partners import secrets, services
from accounts.partners.models import Partner

pytestmark = pytest.mark.django_db


def register(**fields) -> tuple[Partner, str]:
    fields = {"name": "Bank Sejahtera", "partner_id": "BSJ-001", "company_code": "  88123", **fields}
    return services.register_partner(**fields)


def test_the_client_secret_is_given_once_and_stored_only_encrypted():
    partner, client_secret = register()

    stored = Partner.objects.get(pk=partner.pk)
    assert client_secret not in stored.client_secret_encrypted
    assert services.client_secret_of(stored) == client_secret


def test_a_client_secret_encrypted_under_another_key_cannot_be_read(settings):
    partner, _ = register()

    settings.PARTNER_SECRETS_KEY = "a-different-key-after-a-careless-change"

    assert services.client_secret_of(partner) is None


def test_production_refuses_to_store_a_secret_without_its_own_key(settings):
    settings.DEBUG = False
    settings.PARTNER_SECRETS_KEY = ""

    with pytest.raises(ImproperlyConfigured):
        register()
    assert not Partner.objects.exists()


def test_rotating_the_client_secret_replaces_the_old_one():
    partner, old = register()

    new = services.rotate_client_secret(partner)

    assert new != old
    assert services.client_secret_of(Partner.objects.get(pk=partner.pk)) == new


def test_an_open311_key_is_stored_as_a_digest_and_finds_its_partner():
    partner, _ = register()

    api_key = services.rotate_open311_key(partner)

    assert Partner.objects.get(pk=partner.pk).open311_key_digest == secrets.digest(api_key)
    assert services.partner_for_open311_key(api_key) == partner
    assert services.partner_for_open311_key(api_key + "x") is None
    assert services.partner_for_open311_key("") is None


def test_an_inactive_partner_is_not_found_by_its_key():
    partner, _ = register()
    api_key = services.rotate_open311_key(partner)

    Partner.objects.filter(pk=partner.pk).update(active=False)

    assert services.partner_for_open311_key(api_key) is None


def test_registering_and_rotating_are_audited(supervisor):
    partner, _ = register(actor=supervisor)
    services.rotate_client_secret(partner, actor=supervisor)

    actions = list(AuditEntry.objects.filter(actor=supervisor).values_list("action", flat=True).order_by("pk"))
    assert actions == ["partner.register", "partner.rotate_client_secret"]


def test_two_partners_cannot_share_a_company_code():
    register()

    with pytest.raises(Exception, match="partner_unique_company_code"):
        register(partner_id="OTHER-002", name="Bank Lain")
