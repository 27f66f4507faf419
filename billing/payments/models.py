"""Payments, their bill allocations, receipts and the raw gateway notifications.

The payments package owns them; BillingConfig.import_models loads this module after billing/models.py, whose
bills it points at, so they belong to the billing app without billing/models.py importing them back.
The database itself refuses a second settlement: a bill has at most one settled allocation, a payment at most
one receipt, and a receipt number is unique per year.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ServiceConnection
from billing.models import Bill
from billing.payments.methods import method_label


class Payment(models.Model):
    """One attempt to pay a fixed amount for some open bills of one connection.

    `pending → paid | failed | expired`, `paid → reversed` (supervisor). A payment reported paid after its bills
    were settled another way becomes `credit`: its money enters the connection's credit ledger (CreditEntry), which
    the next bill uses unless a supervisor refunds it first (`refunded`).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for payment")
        PAID = "paid", _("paid")
        FAILED = "failed", _("failed")
        EXPIRED = "expired", _("expired")
        REVERSED = "reversed", _("reversed")
        CREDIT = "credit", _("credit to refund")
        REFUNDED = "refunded", _("refunded")

    order_id = models.CharField(_("order id"), max_length=50, unique=True)
    connection = models.ForeignKey(ServiceConnection, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(_("provider"), max_length=16)
    payment_type = models.CharField(_("payment method"), max_length=32, blank=True)
    amount = models.PositiveIntegerField(_("amount (Rp)"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="payments"
    )
    payer_email = models.EmailField(_("receipt e-mail"), blank=True)
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tendered = models.PositiveIntegerField(_("cash tendered (Rp)"), null=True, blank=True)
    checkout_url = models.URLField(_("checkout address"), max_length=500, blank=True)
    transaction_id = models.CharField(_("gateway transaction id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    closed_at = models.DateTimeField(_("failed or expired"), null=True, blank=True)
    reversed_at = models.DateTimeField(_("reversed"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reversal_reason = models.TextField(_("reason for reversal"), blank=True)
    credit_reason = models.CharField(_("why it is a credit"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        permissions = [
            ("take_cash", _("Can take cash payments at the counter")),
            ("reverse_payment", _("Can reverse a payment")),
            ("view_cash_report", _("Can see the end-of-day cash report")),
        ]
        indexes = [
            models.Index(fields=["connection", "-created_at"], name="payment_connection_recent"),
            models.Index(fields=["expires_at"], condition=Q(status="pending"), name="payment_pending_expiry"),
            models.Index(fields=["paid_at"], name="payment_paid_at"),
            models.Index(fields=["status", "-created_at"], name="payment_status_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status="reversed") | ~Q(reversal_reason=""), name="payment_reversal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.order_id

    @property
    def method_label(self) -> str:
        """The payment method in words ("QRIS", "Cash"), for people; `payment_type` keeps the gateway's code."""
        return method_label(self.payment_type)

    @property
    def change(self) -> int:
        return (self.tendered or 0) - self.amount if self.tendered is not None else 0


class PaymentBill(models.Model):
    """The part of a payment that pays one bill. `settled` is true while the payment stands as the bill's payer.

    The partial unique index on `bill` among settled rows is what makes paying a bill twice impossible, whatever
    the application code does.
    """

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="allocations")
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payment_allocations")
    amount = models.PositiveIntegerField(_("amount (Rp)"))
    settled = models.BooleanField(_("settled"), default=False)

    class Meta:
        verbose_name = _("bill paid")
        verbose_name_plural = _("bills paid")
        ordering = ["payment", "bill__period"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "bill"], name="paymentbill_unique_payment_bill"),
            models.UniqueConstraint(fields=["bill"], condition=Q(settled=True), name="paymentbill_one_settlement"),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} → {self.bill_id}"


class ReceiptCounter(models.Model):
    """The last receipt number of a year. Its row is locked by the settling transaction, so numbers come out
    in commit order without gaps: a rolled-back settlement rolls its increment back too."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("receipt counter")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Receipt(models.Model):
    """Kuitansi: the proof of one paid payment, numbered `KWT/2026/000123`."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("receipt number"), max_length=32, unique=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    void = models.BooleanField(_("void"), default=False)
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-issued_at"]
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="receipt_unique_year_sequence")]

    def __str__(self) -> str:
        return self.number


class PaymentNotification(models.Model):
    """Every HTTP notification received from a gateway, as received, with what we made of it."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("applied")
        UNCHANGED = "unchanged", _("no change")
        REJECTED = "rejected", _("rejected")

    payment = models.ForeignKey(Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications")
    order_id = models.CharField(max_length=100, blank=True)
    transaction_status = models.CharField(max_length=32, blank=True)
    body = models.TextField()
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    detail = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("gateway notification")
        verbose_name_plural = _("gateway notifications")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["order_id", "-received_at"], name="paynotif_order_recent")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.transaction_status} ({self.outcome})"


class CreditBalance(models.Model):
    """The money a connection has with the utility beyond its bills: the sum of its credit entries.

    The row is the lock every change of the balance takes (after the bills it touches, see services.py), and
    lets the bill run read the balances of a whole batch in one range scan. Never below zero.
    """

    connection = models.OneToOneField(
        ServiceConnection, on_delete=models.PROTECT, primary_key=True, related_name="credit_balance"
    )
    balance = models.BigIntegerField(_("credit balance (Rp)"), default=0)

    class Meta:
        verbose_name = _("credit balance")
        verbose_name_plural = _("credit balances")
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="creditbalance_not_negative")]

    def __str__(self) -> str:
        return f"{self.connection_id}: {self.balance}"


class CreditEntry(models.Model):
    """One movement of a connection's credit: money in (a replaced bill's payments, a payment whose bills were
    paid another way) or out (applied to a bill, refunded). Written only by billing/credit.py."""

    class Kind(models.TextChoices):
        REPLACED = "replaced", _("paid for a bill that was replaced")
        UNUSED_PAYMENT = "unused_payment", _("payment after its bills were paid")
        APPLIED = "applied", _("used for a bill")
        REFUND = "refund", _("refunded")

    connection = models.ForeignKey(
        ServiceConnection, on_delete=models.PROTECT, related_name="credit_entries", db_index=False
    )
    amount = models.BigIntegerField(_("amount (Rp)"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="credit_entries", db_index=False
    )
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, null=True, blank=True, related_name="credit_entries")
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("credit entry")
        verbose_name_plural = _("credit entries")
        ordering = ["connection", "-created_at", "-pk"]
        permissions = [("refund_credit", _("Can refund a connection's credit balance"))]
        indexes = [models.Index(fields=["connection", "-created_at"], name="credit_connection_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["replaced", "unused_payment"], amount__gt=0)
                | Q(kind__in=["applied", "refund"], amount__lt=0),
                name="creditentry_sign_by_kind",
            ),
            # A payment's money enters the credit once, whatever path reports it twice.
            models.UniqueConstraint(
                fields=["payment"], condition=Q(kind="unused_payment"), name="creditentry_one_per_unused_payment"
            ),
            models.UniqueConstraint(
                fields=["bill", "kind"], condition=Q(kind__in=["replaced", "applied"]), name="creditentry_once_per_bill"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.connection_id} {self.kind} {self.amount}"
