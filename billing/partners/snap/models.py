"""SNAP BI records: access tokens (hashed), every exchange for disputes, external ids per day, and payments."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.partners.models import Partner
from billing.payments.models import Payment


class SnapToken(models.Model):
    """A B2B access token, stored as its SHA-256 only: a database dump yields no usable token."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("SNAP access token")
        verbose_name_plural = _("SNAP access tokens")

    def __str__(self) -> str:
        return f"{self.partner_id} until {self.expires_at:%H:%M}"


class SnapExchange(models.Model):
    """One request and our answer, as received and sent, with tokens and signatures removed."""

    partner = models.ForeignKey(Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    service = models.CharField(max_length=16)
    external_id = models.CharField(max_length=64, blank=True)
    request_headers = models.JSONField(default=dict)
    request_body = models.TextField(blank=True)
    http_status = models.PositiveSmallIntegerField()
    response_code = models.CharField(max_length=7, blank=True)
    response_body = models.TextField(blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("SNAP exchange")
        verbose_name_plural = _("SNAP exchanges")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["partner", "-received_at"], name="snapexchange_partner_recent")]

    def __str__(self) -> str:
        return f"{self.service} {self.response_code}"


class SnapExternalId(models.Model):
    """An X-EXTERNAL-ID a partner used on a day, with what it asked; another request under it is a conflict."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    external_id = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "day", "external_id"], name="snapexternalid_unique_per_day")
        ]

    def __str__(self) -> str:
        return self.external_id


class SnapPayment(models.Model):
    """A partner's paymentRequestId and the answer first given to it; the unique pair makes retries idempotent."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    payment_request_id = models.CharField(max_length=128)
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="snap_payment"
    )
    customer_no = models.CharField(max_length=32)
    amount = models.PositiveIntegerField()
    business_date = models.DateField()
    answer = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("SNAP payment")
        verbose_name_plural = _("SNAP payments")
        constraints = [
            models.UniqueConstraint(fields=["partner", "payment_request_id"], name="snappayment_unique_request")
        ]
        indexes = [models.Index(fields=["partner", "business_date"], name="snappayment_partner_day")]

    def __str__(self) -> str:
        return self.payment_request_id
