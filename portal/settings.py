"""Settings of Tirta: one module, every value from the environment (documented in README.md).

Production is the default: DEBUG is off, a SECRET_KEY and ALLOWED_HOSTS must be given. `make run` turns
DEBUG on, which also enables the embedded defaults (SQLite in var/, tasks in-process, e-mail to var/mail/).
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

# Commands that only read and write source files never sign or serve anything, so they may run without the
# production secrets (a build step, a developer checking migrations); everything else refuses to start.
OFFLINE_COMMANDS = {"makemigrations", "makemessages", "compilemessages", "collectstatic"}
OFFLINE = Path(sys.argv[0]).name == "manage.py" and len(sys.argv) > 1 and sys.argv[1] in OFFLINE_COMMANDS

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and not OFFLINE:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or OFFLINE else "")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = env_str("SITE_NAME", "Tirta")
UTILITY_NAME = env_str("UTILITY_NAME", "Perumdam Tirta Sejahtera")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Our apps come first so that their templates and translations win over Django's own.
INSTALLED_APPS = [
    "accounts",
    "billing",
    "complaints",
    "portal",
    "portal.apps.TirtaAdminConfig",  # django.contrib.admin behind the staff second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # trigram lookups for staff search; inert on SQLite
    "django_htmx",
    "template_partials",
    "ninja",  # serves the partner API's OpenAPI page (/api/docs/) from its own static files
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "anymail",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "accounts.clients.ClientAddressMiddleware",
    "portal.middleware.RejectNulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.privacy.caching.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

# --- Database: Postgres in production and CI, SQLite under var/ as the embedded default.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # A database that does not answer fails a request (and /healthz) in seconds, not at the TCP timeout.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["connect_timeout"] = env_int("DB_CONNECT_TIMEOUT", 5)
        # Server-side binding, and psycopg preparing a query once a connection has run it 5 times (Django leaves
        # prepare_threshold off unless asked): Postgres then skips parsing and, mostly, planning, which was most of
        # its CPU per page; a page's 9-table join cost 3.5 ms to plan each time, 0.15 ms prepared (bench/README.md).
        # Off behind a transaction-pooling PgBouncer, which cannot keep prepared statements.
        prepared = env_bool("DB_PREPARED_STATEMENTS", True)
        options["server_side_binding"] = prepared
        options["prepare_threshold"] = 5 if prepared else None
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "tirta.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared Redis in production so rate limits hold across web servers. While Redis is down the
# cache falls back to each process's memory (portal/cache.py): rate limits hold per process, pages stay up.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailoverRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts, authentication and lockout
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.EmailOrPhoneBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:after-login"
LOGOUT_REDIRECT_URL = "portal:home"
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3 * 60 * 60)
PASSWORD_RESET_RATE_PER_CLIENT = env_str("PASSWORD_RESET_RATE_PER_CLIENT", "10/h")
PASSWORD_RESET_RATE_PER_ADDRESS = env_str("PASSWORD_RESET_RATE_PER_ADDRESS", "3/h")
REGISTRATION_RATE_PER_CLIENT = env_str("REGISTRATION_RATE_PER_CLIENT", "10/h")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
# Lock the identifier being attacked from that client; a stranger cannot lock a customer out everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# One reading of the client address (accounts/clients.py) for the lockout, every rate limit and the audit log.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "accounts.clients.client_address"
RATELIMIT_IP_META_KEY = "accounts.clients.client_address"
# Staff second factor (accounts/second_factor.py): the name authenticator apps show beside the code.
OTP_TOTP_ISSUER = SITE_NAME

# --- Billing: bills of a month fall due on this day of the month; the public lookup's limit per client.
BILL_DUE_DAY = env_int("BILL_DUE_DAY", 20)
BILL_LOOKUP_RATE = env_str("BILL_LOOKUP_RATE", "10/m")
# Customers' own meter readings (billing/self_readings.py): the days of the month they may send one. The window
# closes before the monthly bill run (the 6th) so that billing staff can review what came in; when the first day
# is after the last, the window spans the month's end and stands sent from the first day count for next month.
SELF_READING_FIRST_DAY = env_int("SELF_READING_FIRST_DAY", 26)
SELF_READING_LAST_DAY = env_int("SELF_READING_LAST_DAY", 4)
SELF_READING_PHOTO_MAX_BYTES = env_int("SELF_READING_PHOTO_MAX_BYTES", 8 * 1024 * 1024)
SELF_READING_PHOTO_MAX_PIXELS = env_int("SELF_READING_PHOTO_MAX_PIXELS", 24_000_000)
# Wrong proofs (latest bill amount or meter number) a visitor may give per account number and per client before
# the signed-out form refuses them for the rest of the period (a django-ratelimit rate).
SELF_READING_PROOF_FAILURES = env_str("SELF_READING_PROOF_FAILURES", "5/30m")
# A questioned bill answered after its due date (confirmed, or replaced) falls due this many days after the answer,
# so that the late fee does not strike the day the customer is told.
BILL_DISPUTE_GRACE_DAYS = env_int("BILL_DISPUTE_GRACE_DAYS", 14)

# --- Payments: the gateway's server key signs its notifications; pending payments expire after a while.
PAYMENT_SERVER_KEY = env_str("PAYMENT_SERVER_KEY", "sandbox-server-key" if DEBUG else "")
PAYMENT_SANDBOX_ENABLED = env_bool("PAYMENT_SANDBOX_ENABLED", DEBUG)
PAYMENT_PROVIDER = env_str("PAYMENT_PROVIDER")  # "sandbox" or "midtrans"; empty: the sandbox while enabled
PAYMENT_PENDING_MINUTES = env_int("PAYMENT_PENDING_MINUTES", 60)
PAYMENT_SANDBOX_RETRY_SECONDS = env_int("PAYMENT_SANDBOX_RETRY_SECONDS", 5)
PAYMENT_RECONCILE_MINUTES = env_int("PAYMENT_RECONCILE_MINUTES", 5)
MIDTRANS_PRODUCTION = env_bool("MIDTRANS_PRODUCTION", False)
MIDTRANS_TIMEOUT = env_int("MIDTRANS_TIMEOUT", 15)
RECEIPT_NUMBER_PREFIX = env_str("RECEIPT_NUMBER_PREFIX", "KWT")

# Encrypts the partners' SNAP client secrets at rest (any long random string; required to register partners).
PARTNER_SECRETS_KEY = env_str("PARTNER_SECRETS_KEY")

LINK_FAILURE_LIMIT = env_int("LINK_FAILURE_LIMIT", 5)
LINK_LOCKOUT_MINUTES = env_int("LINK_LOCKOUT_MINUTES", 30)

RATELIMIT_VIEW = "portal.views.rate_limited"

# --- Sessions and security headers
# Sessions are kept in Postgres and read through the cache: a signed-in page then costs a Redis read instead of a
# query (0.3-0.5 ms of a worker's CPU per request, bench/README.md stop 21). Without Redis they come from Postgres.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts, styles and images from our own origin only, so no inline
# script or style attribute runs; QR codes are data: images; forms post here or to the payment gateway.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF, "https://app.midtrans.com", "https://app.sandbox.midtrans.com"],
    }
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Language and time
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Makassar")
USE_TZ = True
PHONE_REGION = env_str("PHONE_REGION", "ID")

# --- Static and uploaded files
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "portal.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- E-mail: a file per message under var/mail/ while developing, SMTP in production.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{UTILITY_NAME} <noreply@tirta.test>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# django-anymail: EMAIL_BACKEND=anymail.backends.<provider>.EmailBackend, and every ANYMAIL_* variable becomes a key
# of ANYMAIL (ANYMAIL_POSTMARK_SERVER_TOKEN, ANYMAIL_WEBHOOK_SECRET=user:password …), so any provider is settings.
ANYMAIL = {name.removeprefix("ANYMAIL_"): value for name, value in os.environ.items() if name.startswith("ANYMAIL_")}
EMAIL_BRAND_COLOUR = env_str("EMAIL_BRAND_COLOUR", "#0b5cad")

# SMS and WhatsApp go through a provider backend; the default only logs the message.
SMS_BACKEND = env_str("SMS_BACKEND", "accounts.channels.LogMessageBackend")
WHATSAPP_BACKEND = env_str("WHATSAPP_BACKEND", "accounts.channels.LogMessageBackend")
# WhatsApp Business Cloud API (accounts.providers.whatsapp.WhatsAppCloudBackend) and its webhook.
WHATSAPP_GRAPH_URL = env_str("WHATSAPP_GRAPH_URL", "https://graph.facebook.com/v21.0")
WHATSAPP_PHONE_NUMBER_ID = env_str("WHATSAPP_PHONE_NUMBER_ID")
WHATSAPP_ACCESS_TOKEN = env_str("WHATSAPP_ACCESS_TOKEN")
WHATSAPP_APP_SECRET = env_str("WHATSAPP_APP_SECRET")
WHATSAPP_VERIFY_TOKEN = env_str("WHATSAPP_VERIFY_TOKEN")
WHATSAPP_TEMPLATE_PREFIX = env_str("WHATSAPP_TEMPLATE_PREFIX", "tirta_")
WHATSAPP_TIMEOUT = env_int("WHATSAPP_TIMEOUT", 10)
# SMS through Infobip (accounts.providers.sms_infobip.InfobipSMSBackend); its callbacks carry SMS_WEBHOOK_TOKEN.
SMS_INFOBIP_BASE_URL = env_str("SMS_INFOBIP_BASE_URL", "https://api.infobip.com")
SMS_INFOBIP_API_KEY = env_str("SMS_INFOBIP_API_KEY")
SMS_SENDER = env_str("SMS_SENDER", "TIRTA")
SMS_WEBHOOK_TOKEN = env_str("SMS_WEBHOOK_TOKEN")
SMS_TIMEOUT = env_int("SMS_TIMEOUT", 10)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 6)
OUTBOX_STUCK_MINUTES = env_int("OUTBOX_STUCK_MINUTES", 10)
# Quiet hours (TIME_ZONE, HH:MM): WhatsApp and SMS wait until they end, outage notices excepted; equal = none.
NOTIFY_QUIET_HOURS_START = env_str("NOTIFY_QUIET_HOURS_START", "21:00")
NOTIFY_QUIET_HOURS_END = env_str("NOTIFY_QUIET_HOURS_END", "07:00")
EBILL_LINK_DAYS = env_int("EBILL_LINK_DAYS", 90)

# --- Celery: with no broker, tasks run in-process (the embedded default).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180)
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# /healthz gives up on the broker after this many seconds (it reuses one connection per process).
HEALTH_CHECK_TIMEOUT = float(env_str("HEALTH_CHECK_TIMEOUT", "2"))
# Redis redelivers an unacknowledged task after this; it must exceed the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 1}
# Publishing from a web request: one immediate reconnect (a pooled connection gone stale after a Redis
# restart), then give up; the outbox marks the message for its sweeper. Celery's default waits ~0.6 s more.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0, "interval_max": 0}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "accounts.sweep_outbox", "schedule": timedelta(minutes=2)},
    "outage-announce-sweep": {"task": "complaints.announce_pending_outages", "schedule": timedelta(minutes=5)},
    # Readings of a month come in during its first days; the run bills the month on the 6th.
    "billing-monthly-run": {"task": "billing.run_current_period", "schedule": crontab(0, 2, day_of_month=6)},
    "billing-daily-late-fees": {"task": "billing.apply_late_fees", "schedule": crontab(hour=1, minute=0)},
    "billing-daily-reminders": {"task": "billing.send_due_reminders", "schedule": crontab(hour=8, minute=0)},
    "billing-discard-stale-self-reading-drafts": {
        "task": "billing.discard_stale_self_reading_drafts",
        "schedule": crontab(hour=3, minute=30),
    },
    "payments-expire-pending": {"task": "billing.payments.expire_pending", "schedule": timedelta(minutes=5)},
    "payments-reconcile-pending": {"task": "billing.payments.reconcile_pending", "schedule": timedelta(minutes=5)},
    "complaints-sla": {"task": "complaints.check_sla", "schedule": timedelta(minutes=5)},
    "complaints-forget-reporters": {"task": "complaints.forget_anonymous_reporters", "schedule": crontab(0, 3)},
}

# --- Complaints: working hours for office-matter SLAs (ISO weekdays, 1 = Monday), photo and filing limits.
COMPLAINTS_WORKDAYS = {int(day) for day in env_list("COMPLAINTS_WORKDAYS", "1,2,3,4,5")}
COMPLAINTS_WORKDAY_START = env_str("COMPLAINTS_WORKDAY_START", "08:00")
COMPLAINTS_WORKDAY_END = env_str("COMPLAINTS_WORKDAY_END", "16:00")
COMPLAINTS_HOLIDAYS = set(env_list("COMPLAINTS_HOLIDAYS"))  # ISO dates, e.g. 2026-08-17
COMPLAINTS_PHOTO_MAX_BYTES = env_int("COMPLAINTS_PHOTO_MAX_BYTES", 8 * 1024 * 1024)
COMPLAINTS_PHOTO_MAX_PIXELS = env_int("COMPLAINTS_PHOTO_MAX_PIXELS", 24_000_000)
COMPLAINTS_RATE_PER_CLIENT = env_str("COMPLAINTS_RATE_PER_CLIENT", "10/h")
COMPLAINTS_RATE_PER_PHONE = env_str("COMPLAINTS_RATE_PER_PHONE", "5/d")
COMPLAINTS_TRACK_RATE = env_str("COMPLAINTS_TRACK_RATE", "20/h")
OPEN311_RATE_PER_PARTNER = env_str("OPEN311_RATE_PER_PARTNER", "600/h")
COMPLAINTS_COMMENT_RATE_PER_CLIENT = env_str("COMPLAINTS_COMMENT_RATE_PER_CLIENT", "20/h")
COMPLAINTS_COMMENT_RATE_PER_TICKET = env_str("COMPLAINTS_COMMENT_RATE_PER_TICKET", "30/d")
# Anonymous reporters' names and contact details are removed this long after their ticket closed (UU PDP).
COMPLAINTS_REPORTER_RETENTION_MONTHS = env_int("COMPLAINTS_REPORTER_RETENTION_MONTHS", 12)
if COMPLAINTS_REPORTER_RETENTION_MONTHS < 1:
    raise ImproperlyConfigured("COMPLAINTS_REPORTER_RETENTION_MONTHS must be at least 1.")
# Staff are warned when this share of a ticket's response or resolution time has passed.
COMPLAINTS_SLA_WARN_PERCENT = env_int("COMPLAINTS_SLA_WARN_PERCENT", 75)
if not 1 <= COMPLAINTS_SLA_WARN_PERCENT <= 99:
    raise ImproperlyConfigured("COMPLAINTS_SLA_WARN_PERCENT must be between 1 and 99.")

# --- Logging: to stderr, where gunicorn and Celery collect it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
