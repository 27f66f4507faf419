"""Signed-in sessions for the benchmarks, written to the database as the sign-in pages leave them."""

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor
from accounts.models import User


def signed_in(email: str) -> dict[str, str]:
    """A session as the sign-in form leaves it; for staff, also verified with an authenticator as the
    second-factor page leaves it (a device is enrolled for them in the bench database if they have none)."""
    user = User.objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.EmailOrPhoneBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if second_factor.needs_second_factor(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "bench"})
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return {"Cookie": f"sessionid={session.session_key}"}
