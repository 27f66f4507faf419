"""Billing data: tariffs, meter readings, bills with their lines, late-fee rules and bill runs.

Money is whole Rupiah in integer fields; water volumes are whole cubic metres (meters are read in m³).
A period is the first day of the billing month.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import CustomerClass, ServiceConnection

MeterSize = ServiceConnection.MeterSize


class Tariff(models.Model):
    """The prices of one customer class from a date on: blocks, fixed charges and minimum usage.

    A tariff is data: a new one is added with a later `effective_from`; issued bills keep the lines
    computed under the tariff they were billed with.
    """

    customer_class = models.ForeignKey(
        CustomerClass, on_delete=models.PROTECT, related_name="tariffs", verbose_name=_("customer class")
    )
    effective_from = models.DateField(_("effective from"))
    admin_fee = models.PositiveIntegerField(_("administration fee (Rp)"), default=0)
    minimum_usage = models.PositiveIntegerField(_("minimum billed usage (m³)"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["customer_class__code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["customer_class", "effective_from"], name="tariff_unique_class_date")
        ]

    def __str__(self) -> str:
        return f"{self.customer_class.code} {self.effective_from:%Y-%m-%d}"


class TariffBlock(models.Model):
    """One progressive block: every m³ from `from_m3` up to `to_m3` (open-ended when empty) costs the price."""

    tariff = models.ForeignKey(Tariff, on_delete=models.CASCADE, related_name="blocks")
    from_m3 = models.PositiveIntegerField(_("from (m³)"))
    to_m3 = models.PositiveIntegerField(_("to (m³)"), null=True, blank=True, help_text=_("Empty: no upper limit."))
    price_per_m3 = models.PositiveIntegerField(_("price per m³ (Rp)"))

    class Meta:
        verbose_name = _("tariff block")
        verbose_name_plural = _("tariff blocks")
        ordering = ["tariff", "from_m3"]
        constraints = [models.UniqueConstraint(fields=["tariff", "from_m3"], name="tariffblock_unique_start")]

    def __str__(self) -> str:
        upper = self.to_m3 if self.to_m3 is not None else "∞"
        return f"{self.from_m3}–{upper} m³"


class TariffFixedCharge(models.Model):
    """Biaya beban (abonemen): the fixed monthly charge for a meter size under a tariff."""

    tariff = models.ForeignKey(Tariff, on_delete=models.CASCADE, related_name="fixed_charges")
    meter_size = models.CharField(_("meter size"), max_length=8, choices=MeterSize.choices)
    amount = models.PositiveIntegerField(_("monthly charge (Rp)"))

    class Meta:
        verbose_name = _("fixed charge")
        verbose_name_plural = _("fixed charges")
        constraints = [models.UniqueConstraint(fields=["tariff", "meter_size"], name="fixedcharge_unique_size")]

    def __str__(self) -> str:
        return f"{self.tariff} {self.meter_size}"


class MeterReading(models.Model):
    """Stand meter of a connection for a period. Usage is this reading minus the previous one.

    A reading below the previous one (meter replaced, typo) is flagged and has no usage: the bill run
    leaves it for billing staff to review instead of billing it blindly.
    """

    class Source(models.TextChoices):
        FIELD = "field", _("field reader")
        CUSTOMER = "customer", _("customer")
        ESTIMATED = "estimated", _("estimated")

    # db_index=False: the unique (connection, period) index serves every lookup by connection.
    connection = models.ForeignKey(ServiceConnection, on_delete=models.PROTECT, related_name="readings", db_index=False)
    period = models.DateField(_("period"))
    reading = models.PositiveIntegerField(_("meter reading (m³)"))
    previous_reading = models.PositiveIntegerField(_("previous reading (m³)"), null=True, blank=True)
    usage = models.PositiveIntegerField(_("usage (m³)"), null=True, blank=True)
    read_on = models.DateField(_("read on"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.FIELD)
    flagged = models.BooleanField(_("needs review"), default=False)
    flag_reason = models.CharField(_("reason for review"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("meter reading")
        verbose_name_plural = _("meter readings")
        constraints = [
            models.UniqueConstraint(fields=["connection", "period"], name="reading_unique_connection_period")
        ]
        indexes = [
            models.Index(fields=["period", "connection"], name="reading_period_connection"),
            models.Index(fields=["period"], condition=Q(flagged=True), name="reading_flagged_period"),
        ]

    def __str__(self) -> str:
        return f"{self.connection_id} {self.period:%Y-%m}: {self.reading}"


class LateFeeRule(models.Model):
    """Denda: a fixed fee added once to a bill that is still open `days_overdue` days after its due date."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    days_overdue = models.PositiveIntegerField(_("days after the due date"))
    amount = models.PositiveIntegerField(_("fee (Rp)"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("late-fee rule")
        verbose_name_plural = _("late-fee rules")
        ordering = ["days_overdue"]

    def __str__(self) -> str:
        return self.name


class Bill(models.Model):
    """Rekening: what one connection owes for one period, with its lines as computed when issued.

    `total` always equals the sum of the lines. Payments move a bill from open to paid (and back on a
    reversal) through their own service. A customer questioning an open bill puts it on hold (`disputed`):
    every rule that reads open bills (late fees, reminders, the amount to pay online, partners' inquiries)
    leaves it alone until billing staff confirm it (back to open) or correct it. A corrected bill is never
    edited: it becomes `void` and a replacement for the same period takes its place, so at most one live
    (not void) bill exists per connection and period.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("unpaid")
        PAID = "paid", _("paid")
        DISPUTED = "disputed", _("on hold: being checked")
        VOID = "void", _("replaced")

    # db_index=False: the unique (connection, period) index serves every lookup by connection.
    connection = models.ForeignKey(ServiceConnection, on_delete=models.PROTECT, related_name="bills", db_index=False)
    period = models.DateField(_("period"))
    # The tariff billed under, for the record (the lines are stored). No index: tariffs are never looked
    # up from bills, and deleting a tariff (PROTECT) is rare enough to scan for.
    tariff = models.ForeignKey(Tariff, on_delete=models.PROTECT, related_name="+", db_index=False)
    previous_reading = models.PositiveIntegerField(_("previous reading (m³)"), null=True, blank=True)
    current_reading = models.PositiveIntegerField(_("meter reading (m³)"), null=True, blank=True)
    usage = models.PositiveIntegerField(_("usage (m³)"))
    estimated = models.BooleanField(_("estimated"), default=False)
    total = models.PositiveIntegerField(_("total (Rp)"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    voided_at = models.DateTimeField(_("replaced"), null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces", verbose_name=_("replaced by")
    )

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["connection", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "period"], condition=~Q(status="void"), name="bill_one_live_per_period"
            ),
            models.CheckConstraint(
                condition=Q(status="void", voided_at__isnull=False) | ~Q(status="void"), name="bill_void_has_time"
            ),
        ]
        indexes = [
            # Daily jobs (late fees, reminders) scan open bills by due date; the staff home sums the overdue ones
            # and counts their connections from this index alone (covering), never from the bills.
            models.Index(
                fields=["due_date"], condition=Q(status="open"), include=["total", "connection"], name="bill_open_due"
            ),
            # Every per-connection figure (arrears, open bills, overdue count) reads only that connection's
            # open bills: a partial index on them alone, covering the summed columns, keeps the lookup
            # independent of how many bills the whole city leaves open.
            models.Index(
                fields=["connection", "period"],
                condition=Q(status="open"),
                include=["total", "due_date"],
                name="bill_open_connection",
            ),
            # A connection's bills by period (history, chart, latest bill): the unique (connection, period) index is
            # partial (live bills only), so it serves only queries repeating its condition; this one serves the rest.
            models.Index(fields=["connection", "period"], name="bill_connection_period"),
            # The same for bills on hold (questioned): few, but shown beside the open ones on every page that
            # shows what is owed, so the lookup stays on an index as small as the number of open questions.
            models.Index(
                fields=["connection", "period"],
                condition=Q(status="disputed"),
                include=["total"],
                name="bill_held_connection",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.connection_id} {self.period:%Y-%m}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()


def bill_status_is(status: str) -> Q:
    """`status = 'open'` with the value written into the SQL rather than bound as a parameter.

    The per-connection indexes above are partial on a status. A prepared statement's generic plan cannot know a
    bound status matches their condition, so Postgres planned such a query again on every run to use them (the
    dashboard's arrears: 1.0 ms of planning against 0.2 ms for the plan kept). Only a `Bill.Status` is accepted.
    """
    return Q(status=RawSQL(f"'{Bill.Status(status).value}'", ()))  # noqa: S611 - a Bill.Status member, never input


class BillDispute(models.Model):
    """A customer's "this bill looks wrong": the bill's side of a billing complaint.

    The ticket lives in complaints; billing keeps only its number (the apps do not import each other), and
    `portal` ties the two together. `status_before` is what the bill returns to if it is confirmed.
    """

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("bill confirmed")
        CORRECTED = "corrected", _("bill corrected")

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="disputes")
    ticket = models.CharField(_("ticket number"), max_length=20, blank=True)
    reason = models.TextField(_("what seems wrong"))
    status_before = models.CharField(max_length=8, choices=Bill.Status.choices)
    opened_at = models.DateTimeField(_("questioned"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    explanation = models.TextField(_("explanation for the customer"), blank=True)
    resolved_at = models.DateTimeField(_("answered"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("questioned bill")
        verbose_name_plural = _("questioned bills")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["bill"], condition=Q(resolved_at__isnull=True), name="dispute_one_open"),
        ]
        indexes = [models.Index(fields=["ticket"], name="dispute_ticket")]

    def __str__(self) -> str:
        return f"{self.bill} ({self.ticket})"


class BillLine(models.Model):
    """One line of a bill: a usage block, the fixed charge, administration, minimum top-up or a late fee."""

    class Kind(models.TextChoices):
        USAGE = "usage", _("water usage")
        MINIMUM = "minimum", _("minimum usage")
        FIXED = "fixed", _("fixed charge")
        ADMIN = "admin", _("administration")
        LATE_FEE = "late_fee", _("late fee")
        CREDIT = "credit", _("credit from earlier payments")

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    # Signed: a credit line takes earlier payments off the bill; the bill's total (their sum) never goes below 0.
    unit_price = models.IntegerField(_("unit price (Rp)"))
    amount = models.IntegerField(_("amount (Rp)"))
    late_fee_rule = models.ForeignKey(
        LateFeeRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("bill line")
        verbose_name_plural = _("bill lines")
        ordering = ["bill", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["bill", "late_fee_rule"], condition=Q(kind="late_fee"), name="billline_one_fee_per_rule"
            ),
            models.CheckConstraint(
                condition=Q(kind="late_fee", late_fee_rule__isnull=False) | ~Q(kind="late_fee"),
                name="billline_late_fee_has_rule",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0) | Q(kind="credit"), name="billline_only_credit_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.description}"

    @property
    def kind_label(self) -> str:
        return self.get_kind_display()


class BillRun(models.Model):
    """The bill run of one period: a cursor over connection ids so an interrupted run resumes where it
    stopped, and the running counts for its summary. Its row is also the lock that serialises two runs of
    the same period batch by batch."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")

    period = models.DateField(_("period"), unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    last_connection_id = models.BigIntegerField(default=0)
    created = models.PositiveIntegerField(_("bills created"), default=0)
    estimated = models.PositiveIntegerField(_("estimated"), default=0)
    flagged = models.PositiveIntegerField(_("held for review"), default=0)
    total_amount = models.BigIntegerField(_("total amount (Rp)"), default=0)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("bill run")
        verbose_name_plural = _("bill runs")
        ordering = ["-period"]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m}"


class ReadingsImport(models.Model):
    """An uploaded readings file, imported by a worker so that a large file never holds a web request open;
    its page follows the progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("importing")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    filename = models.CharField(_("file"), max_length=255)
    data = models.BinaryField()
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    rows = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("readings import")
        verbose_name_plural = _("readings imports")

    def __str__(self) -> str:
        return self.filename

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return 100 if self.finished else (100 * self.done // self.rows if self.rows else 0)


class PaperlessBilling(models.Model):
    """A connection whose bills go out as e-bills on its people's channels instead of on paper."""

    connection = models.OneToOneField(ServiceConnection, on_delete=models.CASCADE, related_name="paperless")
    since = models.DateTimeField(_("paperless since"), default=timezone.now)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("paperless billing")
        verbose_name_plural = _("paperless billing")

    def __str__(self) -> str:
        return str(self.connection_id)


def self_reading_photo_path(instance: "SelfReading", filename: str) -> str:
    return f"self-readings/{timezone.now():%Y/%m}/{filename}"


class SelfReading(models.Model):
    """A customer's own meter stand for a period, with a photo of the meter, waiting for billing staff.

    A draft is what the customer sees previewed (usage and the bill it would make) before confirming; once
    confirmed it is pending until reviewed. Accepted, it becomes the period's `MeterReading` (source customer);
    rejected, the connection waits for the field reader. A newer confirmed stand for the same period replaces a
    pending one, so staff review one stand per connection and period.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("not sent yet")
        PENDING = "pending", _("waiting for review")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        REPLACED = "replaced", _("replaced by a newer stand")

    # db_index=False: the partial unique indexes below start with the connection.
    connection = models.ForeignKey(
        ServiceConnection, on_delete=models.PROTECT, related_name="self_readings", db_index=False
    )
    period = models.DateField(_("period"))
    reading = models.PositiveIntegerField(_("meter reading (m³)"))
    previous_reading = models.PositiveIntegerField(_("previous reading (m³)"), null=True, blank=True)
    usage = models.PositiveIntegerField(_("usage (m³)"), null=True, blank=True)
    # Why the customer was asked to check the photo (a lower stand, usage far above usual); empty when nothing was.
    check_reason = models.CharField(_("checked by the customer because"), max_length=200, blank=True)
    photo = models.ImageField(_("photo of the meter"), upload_to=self_reading_photo_path)
    photo_taken_at = models.DateTimeField(_("photo taken"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    submitted_at = models.DateTimeField(_("sent"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reject_reason = models.CharField(_("reason for rejecting"), max_length=200, blank=True)
    meter_reading = models.OneToOneField(
        MeterReading, on_delete=models.SET_NULL, null=True, blank=True, related_name="self_reading"
    )

    class Meta:
        verbose_name = _("self reading")
        verbose_name_plural = _("self readings")
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "period"], condition=Q(status="pending"), name="selfreading_one_pending"
            ),
            # Also the index of the field readers' list, which leaves out connections with an accepted stand.
            models.UniqueConstraint(
                fields=["connection", "period"], condition=Q(status="accepted"), name="selfreading_one_accepted"
            ),
        ]
        indexes = [
            # The review queue, oldest first.
            models.Index(fields=["submitted_at"], condition=Q(status="pending"), name="selfreading_queue"),
            # A connection's stands, newest first (the customer's page, the reviewer's history).
            models.Index(fields=["connection", "-created_at"], name="selfreading_connection_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.connection_id} {self.period:%Y-%m}: {self.reading} ({self.status})"


class ReadingCorrection(models.Model):
    """A meter reading changed by billing staff after its bill was issued: the stand it had (none for an
    estimated bill) and the stand it has now, so the reading's history is never silently rewritten."""

    reading = models.ForeignKey(MeterReading, on_delete=models.PROTECT, related_name="corrections")
    dispute = models.ForeignKey(BillDispute, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    old_reading = models.PositiveIntegerField(_("reading before (m³)"), null=True, blank=True)
    new_reading = models.PositiveIntegerField(_("corrected reading (m³)"))
    old_usage = models.PositiveIntegerField(_("usage before (m³)"), null=True, blank=True)
    new_usage = models.PositiveIntegerField(_("corrected usage (m³)"))
    corrected_at = models.DateTimeField(_("corrected"), default=timezone.now)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reading correction")
        verbose_name_plural = _("reading corrections")
        ordering = ["reading", "corrected_at"]

    def __str__(self) -> str:
        return f"{self.reading}: {self.old_reading} → {self.new_reading}"
