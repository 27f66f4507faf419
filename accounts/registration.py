"""Registering a portal account without telling anyone which e-mail addresses or numbers are taken.

Every registration gets the same answer ("check your e-mail"). A new address receives a link that activates the
account; the owner of an address or number already in use is told that someone tried to register with it.
"""

from dataclasses import replace

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts import outbox
from accounts.models import Notification, User
from accounts.outbox import Recipient


def register(full_name: str, email: str, phone: str | None, password: str) -> None:
    """Create an inactive account and send its activation link, or tell the owners of what is taken.

    An account nobody ever activated (no sign-in yet) is registering again: it gets the new details and a fresh
    link. The caller answers the same way whatever happened here.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is not None and (user.is_active or user.last_login is not None):
            _tell_owner(user, by_phone=False)
            user = None
        elif user is None:
            user = User(email=email)
        phone_owner = User.objects.filter(phone=phone).exclude(pk=user.pk if user else None).first() if phone else None
        if phone_owner is not None:
            _tell_owner(phone_owner, by_phone=True)
        if user is None:
            return
        user.full_name, user.is_active = full_name, False
        user.phone = None if phone_owner is not None else phone
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            return  # a registration with the same address or number committed a moment ago; it got the mail
        _send_activation(user)


def activate(uidb64: str, token: str) -> User | None:
    """The account the link activates, now active; None when the link is wrong, expired or already used."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=False, last_login__isnull=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def _send_activation(user: User) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:register-activate", kwargs={"uidb64": uid, "token": token})
    outbox.notify(
        replace(Recipient.for_user(user), channels=(Notification.Channel.EMAIL,)),
        "accounts/registration_activate",
        {"activate_url": settings.SITE_URL + path},
        dedupe_key=f"register-activate:{uid}:{token}",
    )


def _tell_owner(owner: User, *, by_phone: bool) -> None:
    """Warn the owner on the address that was typed (their e-mail, or their number by SMS or WhatsApp as they
    prefer); at most once a day each, however often someone tries it."""
    recipient = Recipient.for_user(owner)
    if by_phone:
        channels = tuple(c for c in recipient.channels if c != Notification.Channel.EMAIL) or (
            Notification.Channel.SMS,
        )
    else:
        channels = (Notification.Channel.EMAIL,)
    day = timezone.localdate().isoformat()
    outbox.notify(
        replace(recipient, channels=channels),
        "accounts/registration_attempt",
        {"by_phone": by_phone},
        dedupe_key=f"register-attempt:{owner.pk}:{'phone' if by_phone else 'email'}:{day}",
    )
