"""The second factor of staff sign-in: a TOTP authenticator app (django-otp), required by role.

Every staff role handles money or personal data: `counter` takes cash and sees names, addresses and phone
numbers; `supervisor` reverses payments; `billing` sees every customer's account; `complaints` and `field` see
reporters' names, phone numbers and homes. So all five roles, and superusers, need a verified second factor
before any staff page or the admin opens. A staff account with no role sees no one's data and is not asked.
"""

from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import audit, roles
from accounts.models import User

SECOND_FACTOR_ROLES = roles.ROLES
DEVICE_NAME = "authenticator"


def needs_second_factor(user: User) -> bool:
    """Whether this person must prove a second factor before staff pages open for them."""
    if not (user.is_authenticated and user.is_staff):
        return False
    return user.is_superuser or user.groups.filter(name__in=SECOND_FACTOR_ROLES).exists()


def is_verified(user: User) -> bool:
    """Whether this request's session was verified with a device (set by django-otp's middleware)."""
    return bool(getattr(user, "is_verified", lambda: False)())


def satisfied(user: User) -> bool:
    """Whether staff data may be shown on this request: verified, or the person needs no second factor."""
    return is_verified(user) or not needs_second_factor(user)


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up, created on first call; its secret is shown as a QR code.

    Reused until confirmed, so reloading the set-up page does not invalidate a code already scanned.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def confirm_device(request: HttpRequest, token: str) -> bool:
    """Confirm the pending authenticator with a code it shows; the session counts as verified from then on."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        if device is None or not device.verify_token(token):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(user, "staff.second_factor_enrolled", user, summary=str(user))
    _verified(request, device)
    return True


def verify(request: HttpRequest, token: str) -> bool:
    """Check a code against the person's confirmed authenticator; django-otp throttles repeated wrong codes."""
    user = request.user
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        with transaction.atomic():
            locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            if locked.verify_token(token):
                _verified(request, locked)
                return True
    return False


def _verified(request: HttpRequest, device: TOTPDevice) -> None:
    # The session gains access to staff data: a new session key, as at sign-in, so a key planted before
    # the code was typed is worth nothing afterwards.
    request.session.cycle_key()
    otp_login(request, device)


def reset(user: User, *, actor: User | None) -> int:
    """Remove every authenticator of `user` (a lost phone); they set up a new one at their next sign-in."""
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        audit.record(actor, "staff.second_factor_reset", user, summary=str(user))
    return removed
