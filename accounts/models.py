from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Func
from django.db.models.functions import Lower, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

account_number_validator = RegexValidator(r"^\d{6,12}$", _("An account number has 6 to 12 digits."))


class Words(Func):
    """The words of a text column as full text, lower case and unstemmed (`to_tsvector('simple', …)`).

    Indexes and the search use this one expression: Postgres only uses an expression index for the very same
    expression, and Django's SearchVector compiles differently in an index than in a query.
    """

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    arity = 1
    output_field = SearchVectorField()


# A stored number (E.164, `+6281234567890`) without its country code: `81234567890`.
NATIONAL_NUMBER = Substr("phone", 4)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("Users need an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a customer, or a member of staff (is_staff, with role groups)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    phone = models.CharField(_("mobile number"), max_length=16, unique=True, null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_staff = models.BooleanField(_("staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="id")
    notify_email = models.BooleanField(_("by e-mail"), default=True)
    notify_sms = models.BooleanField(_("by SMS"), default=False)
    notify_whatsapp = models.BooleanField(_("by WhatsApp"), default=False)
    # Per kind of message (accounts.recipients.Kind), the channels chosen: {"bills": ["email", "whatsapp"]}. A kind
    # not listed follows the three choices above. Kept on the row so a fan-out to many users costs no extra query.
    channel_preferences = models.JSONField(_("channels per kind of message"), default=dict, blank=True)
    # WhatsApp Business rules: a business may message a number only with its owner's recorded consent.
    whatsapp_opt_in_at = models.DateTimeField(_("WhatsApp consent given"), null=True, blank=True)
    whatsapp_opt_in_via = models.CharField(_("WhatsApp consent given through"), max_length=32, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]
        # Staff find a linked connection by any 6 digits of its user's number (accounts.search).
        indexes = [GinIndex(fields=["phone"], opclasses=["gin_trgm_ops"], name="user_phone_trgm")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Area(models.Model):
    """Kecamatan (district) and kelurahan (village) — the hierarchy used for outages and routing."""

    class Level(models.TextChoices):
        KECAMATAN = "kecamatan", _("district (kecamatan)")
        KELURAHAN = "kelurahan", _("village (kelurahan)")

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("part of")
    )
    code = models.CharField(_("code"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="area_unique_name_in_parent")]

    def __str__(self) -> str:
        return self.name


class CustomerClass(models.Model):
    """Golongan pelanggan: Sosial, Rumah Tangga R1–R4, Niaga, Industri, Instansi …; tariffs hang off it."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("customer class")
        verbose_name_plural = _("customer classes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Customer(models.Model):
    """Pelanggan: the person or organisation the utility bills, whether or not they use the portal."""

    name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("mobile number"), max_length=16, blank=True, db_index=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # A customer of record who never signed in asked (through the signed link in a message) to hear nothing more.
    messages_opted_out_at = models.DateTimeField(_("opted out of messages"), null=True, blank=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        permissions = [("update_contact", _("Can update a customer's contact details"))]
        # Word prefixes of names (full text, the expression accounts.search queries), misspelt names (trigram),
        # any 6 digits of the number (trigram, LIKE '%…%', on the national number: "+62" begins every number,
        # and a trigram in every row makes each lookup read the whole index).
        indexes = [
            GinIndex(Words("name"), name="customer_name_words"),
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="customer_name_trgm"),
            GinIndex(OpClass(NATIONAL_NUMBER, name="gin_trgm_ops"), name="customer_national_number_trgm"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceConnection(models.Model):
    """Sambungan langganan: a metered connection, known to the customer by its account number."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        DISCONNECTED = "disconnected", _("temporarily disconnected")
        CLOSED = "closed", _("closed")

    class MeterSize(models.TextChoices):
        HALF_INCH = "1/2", '1/2"'
        THREE_QUARTER_INCH = "3/4", '3/4"'
        ONE_INCH = "1", '1"'
        ONE_HALF_INCH = "1 1/2", '1 1/2"'
        TWO_INCH = "2", '2"'
        THREE_INCH = "3", '3"'
        FOUR_INCH = "4", '4"'

    account_number = models.CharField(
        _("account number"), max_length=12, unique=True, validators=[account_number_validator]
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="connections")
    customer_class = models.ForeignKey(CustomerClass, on_delete=models.PROTECT, verbose_name=_("customer class"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="connections", verbose_name=_("area"))
    address = models.CharField(_("address"), max_length=255)
    meter_number = models.CharField(_("meter number"), max_length=32, unique=True)
    meter_size = models.CharField(_("meter size"), max_length=8, choices=MeterSize.choices, default="1/2")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    connected_on = models.DateField(_("connected on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ConnectionLink", related_name="connections", blank=True
    )

    class Meta:
        verbose_name = _("service connection")
        verbose_name_plural = _("service connections")
        ordering = ["account_number"]
        permissions = [
            ("lookup_connection", _("Can look up any connection")),
            ("export_csv", _("Can export search results and reports as CSV")),
        ]
        indexes = [
            models.Index(fields=["status", "area"], name="connection_status_area"),
            # Meter prefix search (LIKE 'M18-00%') needs pattern ops whatever the collation; account numbers are
            # digits and search by range on their unique index. Trigram indexes: see accounts.search.
            models.Index(fields=["meter_number"], opclasses=["varchar_pattern_ops"], name="connection_meter_prefix"),
            GinIndex(fields=["address"], opclasses=["gin_trgm_ops"], name="connection_address_trgm"),
            GinIndex(Words("address"), name="connection_address_words"),
        ]

    def __str__(self) -> str:
        return self.account_number


class ConnectionLink(models.Model):
    """A portal user's proven right to see a connection (several people of one household may link it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connection_links")
    connection = models.ForeignKey(ServiceConnection, on_delete=models.CASCADE, related_name="links")
    created_at = models.DateTimeField(auto_now_add=True)
    # Usage alerts are asked for per connection: a household member may want them for home but not the shop.
    alert_block = models.BooleanField(_("tell me when a reading reaches a dearer price block"), default=False)
    alert_leak = models.BooleanField(_("tell me when a reading looks like a leak"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "connection"], name="link_unique_user_connection")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.connection_id}"


class LinkAttempt(models.Model):
    """Every try to link an account number, counted by the number typed, so that locking out guessers
    works the same whether or not the number exists."""

    account_number = models.CharField(max_length=32)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="link_attempts")
    succeeded = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["account_number", "created_at"], name="linkattempt_number_time"),
            models.Index(fields=["user", "created_at"], name="linkattempt_user_time"),
        ]

    def __str__(self) -> str:
        return f"{self.account_number} ({'ok' if self.succeeded else 'failed'})"


class Notification(models.Model):
    """One message to one person on one channel: the outbox row, written in the transaction of its cause."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    class DeliveryStatus(models.TextChoices):
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        READ = "read", _("read")
        FAILED = "failed", _("not delivered")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    to_name = models.CharField(max_length=150, blank=True)
    to_address = models.CharField(max_length=254)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    template = models.CharField(max_length=100)
    context = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=8, default="id")
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # When a send task was last handed to the broker (for a new row: about to be, after commit); empty when
    # the publish failed, so the next sweep sends the row at once instead of waiting for it to look lost.
    enqueued_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # What the provider reports after accepting the message (WhatsApp statuses, e-mail events), matched by the
    # provider's own id for it.
    provider_id = models.CharField(max_length=128, blank=True)
    delivery_status = models.CharField(_("delivery status"), max_length=16, choices=DeliveryStatus.choices, blank=True)
    delivery_error = models.TextField(_("delivery error"), blank=True)
    delivery_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_status_due"),
            models.Index(fields=["user", "-created_at"], name="notification_user_recent"),
            models.Index(fields=["customer", "-created_at"], name="notification_customer_recent"),
            # The supervisor's delivery page reads one day of messages.
            models.Index(fields=["created_at"], name="notification_created"),
            models.Index(fields=["provider_id"], name="notification_provider_id", condition=~models.Q(provider_id="")),
        ]
        permissions = [
            ("resend_notification", _("Can resend a message")),
            ("view_delivery_report", _("Can see the day's delivery by channel")),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.to_address} ({self.channel})"


class UnreachableAddress(models.Model):
    """An address a provider refused for good on one channel (SMTP 550 "no such user"): messages sent to it
    there will not arrive. Recorded by the outbox when a send is refused permanently."""

    channel = models.CharField(_("channel"), max_length=16, choices=Notification.Channel.choices)
    address = models.CharField(_("address"), max_length=254)
    reason = models.TextField(_("reason"), blank=True)
    notification = models.ForeignKey(Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    since = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("unreachable address")
        verbose_name_plural = _("unreachable addresses")
        constraints = [models.UniqueConstraint(fields=["channel", "address"], name="unreachable_address_once")]

    def __str__(self) -> str:
        return f"{self.address} ({self.channel})"


class InboundMessage(models.Model):
    """A message a person sent us on WhatsApp or SMS: shown to staff, and it opens WhatsApp's 24-hour window."""

    channel = models.CharField(_("channel"), max_length=16, choices=Notification.Channel.choices)
    from_address = models.CharField(_("from"), max_length=32)
    text = models.TextField(_("text"), blank=True)
    provider_id = models.CharField(max_length=128, unique=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        indexes = [models.Index(fields=["channel", "from_address", "-received_at"], name="inbound_from_recent")]

    def __str__(self) -> str:
        return f"{self.from_address} ({self.channel})"


class AuditEntry(models.Model):
    """Who did what to money, tickets or personal data, and when; written by the service that did it."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    connection = models.ForeignKey(
        ServiceConnection, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries"
    )
    summary = models.CharField(_("summary"), max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    # Where the request came from (accounts.clients.client_address); empty for actions outside a request.
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        permissions = [("search_audit", _("Can search the audit log"))]
        indexes = [
            models.Index(fields=["-created_at"], name="audit_recent"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_recent"),
            models.Index(fields=["connection", "-created_at"], name="audit_connection_recent"),
            # The account page's "staff activity": changes only, not the (many) views of the page itself.
            models.Index(
                fields=["connection", "-created_at"],
                condition=~models.Q(action="connection.view"),
                name="audit_connection_changes",
            ),
            models.Index(fields=["action", "-created_at"], name="audit_action_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"


class StaffNote(models.Model):
    """A note staff keep on a connection for colleagues ("promised to pay on the 25th", "meter behind a gate")."""

    connection = models.ForeignKey(ServiceConnection, on_delete=models.CASCADE, related_name="staff_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("staff note")
        verbose_name_plural = _("staff notes")
        indexes = [models.Index(fields=["connection", "-created_at"], name="staffnote_connection_recent")]

    def __str__(self) -> str:
        return f"{self.connection_id}: {self.text[:40]}"
