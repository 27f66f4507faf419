"""A bank for tests: its own RSA key pair, registered as a SNAP partner, signing real requests like a bank would."""

import functools
import http.client
import itertools
import json
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse
from django.utils import timezone

from accounts.partners.models import Partner
from accounts.partners.services import register_partner
from billing.partners.snap import signing

COMPANY_CODE = "12345"
CHANNEL = "6021"

Transport = Callable[[str, dict[str, str], bytes], tuple[int, dict]]


@functools.cache
def bank_key() -> rsa.RSAPrivateKey:
    """One key pair for the whole run: generating RSA keys is slow and each test's partner is new anyway."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def snap_partner(**fields) -> tuple[Partner, str]:
    """A registered bank partner holding `bank_key()`, and its client secret."""
    fields.setdefault("name", "Bank Contoh")
    fields.setdefault("partner_id", "BANKCONTOH01")
    fields.setdefault("company_code", COMPANY_CODE)
    fields.setdefault("channel_ids", [CHANNEL])
    partner, secret = register_partner(public_key_pem=public_pem(bank_key()), **fields)
    Partner.objects.filter(pk=partner.pk).update(bank_name="Contoh")
    partner.refresh_from_db()
    return partner, secret


def client_transport(client) -> Transport:
    """Requests through Django's test client (in-process)."""

    def send(path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict]:
        extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
        response = client.post(path, data=body, content_type="application/json", **extra)
        return response.status_code, response.json()

    return send


def http_transport(base_url: str) -> Transport:
    """Real HTTP requests to a running server (`http://host:port`)."""
    address = urllib.parse.urlsplit(base_url)

    def send(path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict]:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        try:
            connection.request("POST", path, body=body, headers={"Content-Type": "application/json", **headers})
            response = connection.getresponse()
            return response.status, json.loads(response.read())
        finally:
            connection.close()

    return send


def stamp(moment: datetime | None = None) -> str:
    return timezone.localtime(moment or timezone.now()).isoformat(timespec="seconds")


_external_ids = itertools.count(1)


@dataclass
class Bank:
    """Signs and sends SNAP requests as partner `partner_id` would; each method returns (HTTP status, body)."""

    send: Transport
    partner_id: str
    client_secret: str
    key: rsa.RSAPrivateKey = field(default_factory=bank_key)
    access_token: str = ""

    def token(self, *, timestamp: str | None = None, client_key: str | None = None) -> tuple[int, dict]:
        timestamp = timestamp or stamp()
        client_key = client_key or self.partner_id
        headers = {
            "X-CLIENT-KEY": client_key,
            "X-TIMESTAMP": timestamp,
            "X-SIGNATURE": signing.rsa_signature(self.key, client_key, timestamp),
        }
        status, body = self.send(reverse("api:access_token"), headers, b'{"grantType":"client_credentials"}')
        self.access_token = body.get("accessToken", "")
        return status, body

    def call(
        self,
        url_name: str,
        payload: dict | bytes,
        *,
        timestamp: str | None = None,
        external_id: str | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict]:
        path = reverse(f"api:{url_name}")
        body = payload if isinstance(payload, bytes) else json.dumps(payload, indent=2).encode()
        timestamp = timestamp or stamp()
        try:
            string_to_sign = signing.transaction_string("POST", path, self.access_token, body, timestamp)
        except ValueError:  # not JSON: a broken client sends it anyway, signed over nothing meaningful
            string_to_sign = timestamp
        sent = {
            "Authorization": f"Bearer {self.access_token}",
            "X-TIMESTAMP": timestamp,
            "X-PARTNER-ID": self.partner_id,
            "X-EXTERNAL-ID": external_id or f"ext-{next(_external_ids)}",
            "CHANNEL-ID": CHANNEL,
            "X-SIGNATURE": signing.hmac_signature(secret or self.client_secret, string_to_sign),
            **(headers or {}),
        }
        return self.send(path, sent, body)


def va_fields(account_number: str, company_code: str = COMPANY_CODE) -> dict:
    service_id = company_code.rjust(8)
    return {
        "partnerServiceId": service_id,
        "customerNo": account_number,
        "virtualAccountNo": service_id + account_number,
    }


def inquiry_body(account_number: str, request_id: str = "inq-1") -> dict:
    return {**va_fields(account_number), "inquiryRequestId": request_id}


def payment_body(account_number: str, amount: str, request_id: str = "pay-1", **extra) -> dict:
    return {
        **va_fields(account_number),
        "paymentRequestId": request_id,
        "paidAmount": {"value": amount, "currency": "IDR"},
        "flagAdvise": "N",
        **extra,
    }


def status_body(account_number: str, request_id: str = "pay-1") -> dict:
    return {**va_fields(account_number), "inquiryRequestId": "inq-1", "paymentRequestId": request_id}


def later(minutes: int) -> datetime:
    return timezone.now() + timedelta(minutes=minutes)
