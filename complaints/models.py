from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from accounts.models import Area, ServiceConnection


class Category(models.Model):
    """What a report is about, with its own service level (set in the admin)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    respond_hours = models.PositiveIntegerField(_("respond within (hours)"))
    resolve_hours = models.PositiveIntegerField(_("resolve within (hours)"))
    working_hours_only = models.BooleanField(
        _("count working hours only"),
        default=False,
        help_text=_("Off for emergencies (the clock runs day and night), on for office matters such as billing."),
    )
    outage_related = models.BooleanField(
        _("may be caused by an outage"),
        default=False,
        help_text=_("Reports in an area with an active outage are linked to it."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class TicketCounter(models.Model):
    """The last ticket number handed out per year; its row is locked while a number is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Outage(models.Model):
    """Info gangguan / pemeliharaan: an interruption of supply in one or more areas."""

    class Kind(models.TextChoices):
        PLANNED = "planned", _("planned maintenance")
        UNPLANNED = "unplanned", _("unplanned outage")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("published")
        CLOSED = "closed", _("closed")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.UNPLANNED)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("what customers should know"), blank=True)
    areas = models.ManyToManyField(Area, related_name="outages", verbose_name=_("areas"))
    starts_at = models.DateTimeField(_("starts"))
    expected_end_at = models.DateTimeField(_("expected end"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    revision = models.PositiveIntegerField(default=1)
    # The revision whose notice has been queued to every affected person: behind `revision` while the fan-out
    # task is pending or was lost (broker down when it was published), which the announcing sweep catches.
    announced_revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outage or maintenance notice")
        verbose_name_plural = _("outage and maintenance notices")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["status", "starts_at"], name="outage_status_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def summary(self) -> str:
        return self.description


class SlaState(models.TextChoices):
    OK = "ok", _("on time")
    DUE_SOON = "due_soon", _("due soon")
    BREACHED = "breached", _("breached")


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    """The service-level rule, the one place it is written for queries: an open ticket is breached from its
    resolution deadline (`due_at`) on, and due soon from its warning time (`warn_at`) until then."""

    def open(self) -> "ComplaintQuerySet":
        return self.filter(status__in=Complaint.OPEN_STATUSES)

    def breached(self, now: datetime | None = None) -> "ComplaintQuerySet":
        return self.open().filter(breached_q(now or timezone.now()))

    def due_soon(self, now: datetime | None = None) -> "ComplaintQuerySet":
        return self.open().filter(due_soon_q(now or timezone.now()))


def breached_q(now: datetime) -> models.Q:
    """Among open tickets, those past their resolution deadline (for counting in an aggregate)."""
    return models.Q(due_at__lte=now)


def due_soon_q(now: datetime) -> models.Q:
    """Among open tickets, those past their warning time but not yet their deadline."""
    return models.Q(warn_at__lte=now, due_at__gt=now)


class Complaint(models.Model):
    """Pengaduan: one report from a customer or any resident, followed until it is fixed."""

    SlaState = SlaState

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        VERIFIED = "verified", _("verified")
        ASSIGNED = "assigned", _("assigned to a team")
        IN_PROGRESS = "in_progress", _("being worked on")
        RESOLVED = "resolved", _("resolved")
        CLOSED = "closed", _("closed")
        REJECTED = "rejected", _("rejected")
        DUPLICATE = "duplicate", _("duplicate")

    OPEN_STATUSES = (Status.RECEIVED, Status.VERIFIED, Status.ASSIGNED, Status.IN_PROGRESS)
    FINAL_STATUSES = (Status.CLOSED, Status.REJECTED, Status.DUPLICATE)

    ticket = models.CharField(_("ticket number"), max_length=20, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="complaints")
    description = models.TextField(_("what happened"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("reporter account"),
    )
    reporter_name = models.CharField(_("reporter name"), max_length=150)
    reporter_phone = models.CharField(_("reporter mobile number"), max_length=16, blank=True)
    reporter_email = models.EmailField(_("reporter e-mail"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    connection = models.ForeignKey(
        ServiceConnection, on_delete=models.SET_NULL, null=True, blank=True, related_name="complaints"
    )
    address = models.CharField(_("address"), max_length=255)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_complaints",
        verbose_name=_("assigned to"),
    )
    outage = models.ForeignKey(Outage, on_delete=models.SET_NULL, null=True, blank=True, related_name="complaints")
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    # What the report is about when another part of the portal filed it for a record of its own (a questioned
    # bill): a label and a staff page to open it, and facts gathered for staff. Staff-only; complaints never
    # reads the record itself.
    # Database defaults too: the demo and bulk loaders COPY tickets without these columns.
    linked_label = models.CharField(_("about"), max_length=200, blank=True, default="", db_default="")
    linked_url = models.CharField(_("link for staff"), max_length=200, blank=True, default="", db_default="")
    staff_facts = models.JSONField(_("facts for staff"), default=list, db_default=[], blank=True)
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    escalated = models.BooleanField(_("escalated to a supervisor"), default=False)

    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("comment on the service"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(_("received"), default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    respond_warn_at = models.DateTimeField()
    respond_due_at = models.DateTimeField(_("response due"))
    warn_at = models.DateTimeField()
    due_at = models.DateTimeField(_("resolution due"))
    respond_warned_at = models.DateTimeField(null=True, blank=True)
    respond_breached_at = models.DateTimeField(null=True, blank=True)
    sla_warned_at = models.DateTimeField(null=True, blank=True)
    sla_breached_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        permissions = [
            ("triage_complaint", _("Can verify, assign, reject complaints")),
            ("work_complaint", _("Can update complaints assigned to them")),
            ("supervise_complaint", _("Can make any legal change to a complaint")),
            ("manage_outage", _("Can publish and close outage notices")),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="complaint_status_due"),
            models.Index(fields=["status", "warn_at"], name="complaint_status_warn"),
            models.Index(fields=["status", "respond_due_at"], name="complaint_status_respond_due"),
            models.Index(fields=["status", "respond_warn_at"], name="complaint_status_respond_warn"),
            models.Index(fields=["assignee", "status"], name="complaint_assignee_status"),
            models.Index(fields=["category", "status"], name="complaint_category_status"),
            models.Index(fields=["area", "status"], name="complaint_area_status"),
            models.Index(fields=["reporter", "-created_at"], name="complaint_reporter_recent"),
            models.Index(fields=["connection", "-created_at"], name="complaint_connection_recent"),
            models.Index(fields=["-created_at"], name="complaint_recent"),
            models.Index(
                fields=["status", "due_at"], condition=models.Q(escalated=True), name="complaint_escalated_due"
            ),
            # The retention job's lookup (complaints.services.retention.ANONYMOUS_WITH_CONTACT): rows leave the
            # index once their reporter's details are gone, so it stays the size of one year's closed tickets.
            models.Index(
                fields=["updated_at"],
                condition=models.Q(reporter__isnull=True, status__in=("closed", "rejected", "duplicate"))
                & ~models.Q(reporter_name="", reporter_phone="", reporter_email=""),
                name="complaint_reporter_to_forget",
            ),
            # Open tickets only, in the queue's default order: the queue reads its first page in index order and
            # the staff home counts open, due-soon and breached tickets from the index alone (warn_at included).
            models.Index(
                fields=["due_at", "id"],
                condition=models.Q(status__in=["received", "verified", "assigned", "in_progress"]),
                include=["warn_at"],
                name="complaint_open_due",
            ),
            # Every ticket in the queue's order ("All" statuses, due first): without it each page sorted the whole
            # table (115 ms at 36,000 tickets).
            models.Index(fields=["due_at", "id"], name="complaint_due"),
        ]

    def __str__(self) -> str:
        return self.ticket

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def get_status_display(self) -> str:
        # Django's generated method rebuilds a dict of the choices on every call, hashing (so translating)
        # each label: 32 µs, once per row of the staff queue (50 a page); the label is what it returns.
        return force_str(_STATUS_LABELS.get(self.status, self.status), strings_only=True)

    @property
    def accepts_reporter_input(self) -> bool:
        return self.status not in self.FINAL_STATUSES

    @property
    def sla_state(self) -> str:
        """The same rule as ComplaintQuerySet for one ticket: a SlaState while it is open; "" once the clock
        has stopped."""
        if not self.is_open:
            return ""
        now = timezone.now()
        if now >= self.due_at:
            return SlaState.BREACHED
        if now >= self.warn_at:
            return SlaState.DUE_SOON
        return SlaState.OK


_STATUS_LABELS = dict(Complaint.Status.choices)


class ComplaintEvent(models.Model):
    """One line of a ticket's timeline; internal notes are never shown to the reporter."""

    class Kind(models.TextChoices):
        FILED = "filed", _("report received")
        STATUS = "status", _("status changed")
        ASSIGNED = "assigned", _("assigned")
        UPDATE = "update", _("update")
        NOTE = "note", _("internal note")
        COMMENT = "comment", _("comment from the reporter")
        PHOTO = "photo", _("photo added")
        RATING = "rating", _("rating")
        ESCALATED = "escalated", _("escalated")
        OUTAGE = "outage", _("linked to an outage")
        SLA = "sla", _("service level alert")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    public = models.BooleanField(default=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    by_reporter = models.BooleanField(default=False)
    from_status = models.CharField(max_length=16, choices=Complaint.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Complaint.Status.choices, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["complaint", "created_at"], name="complaintevent_timeline")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"


def photo_path(instance: "ComplaintPhoto", filename: str) -> str:
    return f"complaints/{timezone.now():%Y/%m}/{filename}"


class ComplaintPhoto(models.Model):
    """A re-encoded photo (resized, metadata stripped); served only through an access-checked view."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=photo_path, width_field="width", height_field="height")
    # Made when the photo is stored; photos stored before thumbnails existed have none and show the image.
    thumbnail = models.ImageField(upload_to=photo_path, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    by_reporter = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.image.name
