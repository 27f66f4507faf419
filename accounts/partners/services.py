"""Registering partners and rotating their secrets; each raw secret is returned once and never stored."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import User
from accounts.partners import secrets
from accounts.partners.models import Partner


@transaction.atomic
def register_partner(
    *,
    name: str,
    partner_id: str,
    company_code: str = "",
    public_key_pem: str = "",
    channel_ids: list[str] | None = None,
    bank_name: str = "",
    settlement_cutoff: datetime.time = datetime.time(0, 0),
    actor: User | None = None,
) -> tuple[Partner, str]:
    """A new active partner and its SNAP client secret, shown to the operator this once."""
    client_secret = secrets.new_secret()
    partner = Partner.objects.create(
        name=name,
        partner_id=partner_id,
        company_code=company_code,
        public_key_pem=public_key_pem,
        channel_ids=channel_ids or [],
        bank_name=bank_name,
        settlement_cutoff=settlement_cutoff,
        client_secret_encrypted=secrets.encrypt(client_secret),
    )
    audit.record(actor, "partner.register", partner, summary=name)
    return partner, client_secret


@transaction.atomic
def rotate_client_secret(partner: Partner, *, actor: User | None = None) -> str:
    """A new SNAP client secret; the old one stops working at once."""
    client_secret = secrets.new_secret()
    partner.client_secret_encrypted = secrets.encrypt(client_secret)
    partner.secrets_rotated_at = timezone.now()
    partner.save(update_fields=["client_secret_encrypted", "secrets_rotated_at"])
    audit.record(actor, "partner.rotate_client_secret", partner, summary=partner.name)
    return client_secret


@transaction.atomic
def rotate_open311_key(partner: Partner, *, actor: User | None = None) -> str:
    """A new Open311 api_key; the old one stops working at once."""
    api_key = secrets.new_secret()
    partner.open311_key_digest = secrets.digest(api_key)
    partner.secrets_rotated_at = timezone.now()
    partner.save(update_fields=["open311_key_digest", "secrets_rotated_at"])
    audit.record(actor, "partner.rotate_open311_key", partner, summary=partner.name)
    return api_key


def client_secret_of(partner: Partner) -> str | None:
    """The SNAP client secret for verifying and signing, or None if it cannot be recovered."""
    if not partner.client_secret_encrypted:
        return None
    return secrets.decrypt(partner.client_secret_encrypted)


def partner_for_open311_key(api_key: str) -> Partner | None:
    """The active partner holding this Open311 api_key, or None."""
    if not api_key:
        return None
    # The lookup by digest is the comparison: a digest reveals nothing about the key, so no timing can leak it.
    return Partner.objects.filter(open311_key_digest=secrets.digest(api_key), active=True).first()


@transaction.atomic
def deactivate(partner: Partner, *, actor: User | None = None) -> None:
    """The partner's calls are refused from now on; its records stay."""
    Partner.objects.filter(pk=partner.pk).update(active=False)
    partner.active = False
    audit.record(actor, "partner.deactivate", partner, summary=partner.name)
