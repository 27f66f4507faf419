import hashlib
import hmac
import struct
import time

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEntry, Notification, StaffNote
from tests.factories.accounts import ServiceConnectionFactory, StaffFactory


class StaffNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffNote

    connection = factory.SubFactory(ServiceConnectionFactory)
    author = factory.SubFactory(StaffFactory, role="counter")
    text = factory.Faker("sentence", locale="id_ID")


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    to_address = factory.Faker("email")
    channel = Notification.Channel.EMAIL
    template = "accounts/password_reset"
    dedupe_key = factory.Sequence(lambda n: f"test-{n}")
    status = Notification.Status.SENT


class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEntry

    action = "customer.update_contact"
    summary = factory.Faker("sentence", locale="id_ID")


def totp_code(device: TOTPDevice, at: float | None = None) -> str:
    """The code an authenticator app shows now for `device` (RFC 6238: HMAC-SHA1 over 30-second steps)."""
    return totp_for_key(device.bin_key, at, step=device.step, t0=device.t0, digits=device.digits)


def totp_for_key(key: bytes, at: float | None = None, *, step: int = 30, t0: int = 0, digits: int = 6) -> str:
    """RFC 6238 computed here, independently of django-otp, as a phone's authenticator app does."""
    counter = int(((time.time() if at is None else at) - t0) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**digits:0{digits}d}"
