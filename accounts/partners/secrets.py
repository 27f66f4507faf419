"""Partner secrets at rest: the SNAP client secret encrypted (the HMAC needs it back), API keys as digests."""

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> Fernet:
    # PARTNER_SECRETS_KEY is any long random string; it is stretched to Fernet's 32-byte key so that operators
    # need no special format. Only in development does SECRET_KEY stand in: in production a database dump and
    # the web server's own key must not be enough to recover a partner's secret.
    material = settings.PARTNER_SECRETS_KEY or (settings.SECRET_KEY if settings.DEBUG else "")
    if not material:
        raise ImproperlyConfigured("PARTNER_SECRETS_KEY must be set to store or read partner secrets.")
    key = hashlib.sha256(f"tirta.partners:{material}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str | None:
    """The stored secret, or None when it was encrypted under another key (rotated PARTNER_SECRETS_KEY)."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
