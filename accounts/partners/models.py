"""One registered partner, shared by the SNAP BI virtual-account side (billing) and the Open311 side (complaints)."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Partner(models.Model):
    """A bank, payment point or civic app allowed to call Tirta.

    Secrets are stored so that a database dump does not reveal them in usable form: the Open311 key only as its
    SHA-256 (it is random and long, so a plain digest suffices), the SNAP client secret encrypted with
    `PARTNER_SECRETS_KEY` because the HMAC protocol needs it back (see accounts.partners.secrets).
    """

    name = models.CharField(_("name"), max_length=100)
    # X-PARTNER-ID on transactional calls and X-CLIENT-KEY on the access-token call.
    partner_id = models.CharField(_("partner id (client key)"), max_length=64, unique=True)
    # partnerServiceId: the company code a bank puts before the account number in the virtual account number.
    company_code = models.CharField(_("company code"), max_length=8, blank=True)
    public_key_pem = models.TextField(_("RSA public key (PEM)"), blank=True)
    client_secret_encrypted = models.TextField(_("client secret (encrypted)"), blank=True, editable=False)
    channel_ids = models.JSONField(_("allowed CHANNEL-IDs"), default=list, blank=True)
    open311_key_digest = models.CharField(_("Open311 API key (SHA-256)"), max_length=64, blank=True, editable=False)
    # Receipts and methods say "VA <bank>", so a customer recognises where they paid.
    bank_name = models.CharField(_("bank name"), max_length=29, blank=True)
    # Payments at or after this local time belong to the next business date of the partner's settlement file.
    settlement_cutoff = models.TimeField(_("settlement cut-off"), default=datetime.time(0, 0))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    secrets_rotated_at = models.DateTimeField(_("secrets rotated"), null=True, blank=True)

    class Meta:
        app_label = "accounts"
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["company_code"], condition=~models.Q(company_code=""), name="partner_unique_company_code"
            ),
        ]
        indexes = [
            models.Index(
                fields=["open311_key_digest"], condition=~models.Q(open311_key_digest=""), name="partner_open311_key"
            ),
        ]

    def __str__(self) -> str:
        return self.name
