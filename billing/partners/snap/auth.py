"""Who is calling: the B2B access token (RSA-signed request) and the HMAC signature of each transactional call."""

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection as db
from django.utils import timezone

from accounts.partners.models import Partner
from accounts.partners.services import client_secret_of
from billing.partners.snap import codes, signing
from billing.partners.snap.models import SnapExternalId, SnapToken

# Fixed by the standard and the issue: a token lives 15 minutes; a timestamp more than 5 minutes off is refused,
# which bounds how long a captured request could be replayed.
TOKEN_LIFETIME = timedelta(minutes=15)
TIMESTAMP_WINDOW = timedelta(minutes=5)

_TOKEN_HOLDER_SQL = """
    SELECT p.*, (
        SELECT e.fingerprint FROM billing_snapexternalid e
        WHERE e.partner_id = p.id AND e.day = %s AND e.external_id = %s
    ) AS earlier_fingerprint
    FROM accounts_partner p JOIN billing_snaptoken t ON t.partner_id = p.id
    WHERE p.partner_id = %s AND p.active = %s AND t.digest = %s AND t.expires_at > %s
"""  # noqa: S105 - a query, not a secret
# A new id is the usual case (a bank sends one per call): one statement, and no error to recover from when the same
# id arrives twice at once (the second finds the first's row and inserts nothing).
_CLAIM_SQL = """
    INSERT INTO billing_snapexternalid (partner_id, day, external_id, fingerprint) VALUES (%s, %s, %s, %s)
    ON CONFLICT (partner_id, day, external_id) DO NOTHING
"""


@dataclass(frozen=True)
class Caller:
    """The partner behind a signed call, and the request its X-EXTERNAL-ID was first used for today (if it was)."""

    partner: Partner
    earlier_fingerprint: str | None


@dataclass(frozen=True)
class IssuedToken:
    partner: Partner
    access_token: str
    expires_in: int


def _digest(access_token: str) -> str:
    return hashlib.sha256(access_token.encode()).hexdigest()


def check_timestamp(value: str, now: datetime | None = None) -> None:
    """X-TIMESTAMP is ISO 8601 with its offset (`2026-12-01T13:05:00+08:00`) and within five minutes of now."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise codes.SnapRefusal(codes.INVALID_FIELD, "X-TIMESTAMP") from None
    if moment.tzinfo is None or abs((now or timezone.now()) - moment) > TIMESTAMP_WINDOW:
        raise codes.SnapRefusal(codes.INVALID_FIELD, "X-TIMESTAMP")


def _active_partner(partner_id: str) -> Partner:
    partner = Partner.objects.filter(partner_id=partner_id, active=True).first() if partner_id else None
    if partner is None:
        raise codes.SnapRefusal(codes.UNAUTHORIZED, "Unknown client")
    return partner


def issue_token(headers: Mapping[str, str], data: dict) -> IssuedToken:
    """A new 15-minute token for the partner whose RSA key signed `clientKey|timestamp`."""
    client_key = headers.get("X-CLIENT-KEY", "")
    timestamp = headers.get("X-TIMESTAMP", "")
    partner = _active_partner(client_key)
    check_timestamp(timestamp)
    if not signing.rsa_matches(partner.public_key_pem, client_key, timestamp, headers.get("X-SIGNATURE", "")):
        raise codes.SnapRefusal(codes.UNAUTHORIZED, "Signature")
    if data.get("grantType") != "client_credentials":
        raise codes.SnapRefusal(codes.INVALID_FIELD, "grantType")
    access_token = secrets.token_urlsafe(32)
    SnapToken.objects.create(partner=partner, digest=_digest(access_token), expires_at=timezone.now() + TOKEN_LIFETIME)
    return IssuedToken(partner, access_token, int(TOKEN_LIFETIME.total_seconds()))


def _token_holder(partner_id: str, access_token: str, external_id: str) -> Caller | None:
    """The active partner holding this live token, and what the X-EXTERNAL-ID was first used for today (read
    before the signature is checked, it decides nothing until then); None for no such token.

    One statement on every call, written out in SQL: built through the ORM it cost four times the CPU of the
    statement itself, and banks call all day (bench/README.md, stop 21).
    """
    params = [timezone.localdate(), external_id, partner_id, True, _digest(access_token), timezone.now()]
    partner = next(iter(Partner.objects.raw(_TOKEN_HOLDER_SQL, params)), None)
    return Caller(partner, partner.earlier_fingerprint) if partner else None


def authenticate(headers: Mapping[str, str], method: str, path: str, body: bytes) -> Caller:
    """The partner behind a transactional call, or SnapRefusal: unknown partner, bad token, stale or bad signature."""
    partner_id = headers.get("X-PARTNER-ID", "")
    scheme, _, access_token = headers.get("Authorization", "").partition(" ")
    caller = None
    if partner_id and scheme.lower() == "bearer" and access_token:
        caller = _token_holder(partner_id, access_token, headers.get("X-EXTERNAL-ID", ""))
    if caller is None:
        _active_partner(partner_id)  # an unknown or inactive partner is refused as such, before its token
        raise codes.SnapRefusal(codes.INVALID_TOKEN)
    partner = caller.partner
    timestamp = headers.get("X-TIMESTAMP", "")
    check_timestamp(timestamp)
    secret = client_secret_of(partner)
    string_to_sign = signing.transaction_string(method, path, access_token, body, timestamp)
    if secret is None or not signing.hmac_matches(secret, string_to_sign, headers.get("X-SIGNATURE", "")):
        raise codes.SnapRefusal(codes.UNAUTHORIZED, "Signature")
    channel = headers.get("CHANNEL-ID", "")
    if partner.channel_ids and channel not in partner.channel_ids:
        raise codes.SnapRefusal(codes.UNAUTHORIZED, "CHANNEL-ID")
    return caller


def claim_external_id(caller: Caller, external_id: str, method: str, path: str, body: bytes) -> None:
    """Record the X-EXTERNAL-ID for today; the same id for a different request the same day is a conflict."""
    if not external_id or len(external_id) > 36:
        raise codes.SnapRefusal(codes.MISSING_FIELD, "X-EXTERNAL-ID")
    fingerprint = hashlib.sha256(f"{method}:{path}:{signing.minify(body)}".encode()).hexdigest()
    stored = caller.earlier_fingerprint
    if stored is None:
        day = timezone.localdate()
        with db.cursor() as cursor:
            cursor.execute(_CLAIM_SQL, [caller.partner.pk, day, external_id, fingerprint])
            if cursor.rowcount == 1:
                return
        stored = SnapExternalId.objects.values_list("fingerprint", flat=True).get(
            partner=caller.partner, day=day, external_id=external_id
        )
    if stored != fingerprint:
        raise codes.SnapRefusal(codes.CONFLICT)
