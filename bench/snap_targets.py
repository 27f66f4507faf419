"""SNAP BI requests for bench/http_load.py, pre-signed like a bank signs them.

A bench bank partner is registered (or its key and secret renewed) in the bench database, takes one access token
(15 minutes) and signs a rotating set of inquiries over the sampled accounts, each with its own X-EXTERNAL-ID as a
bank sends them, and one payment that is then retried (advised, each retry with a new X-EXTERNAL-ID): the first
delivery settles, every retry gets the stored first answer (the idempotent path a bank's retry takes).
Timestamps are those of the signing, so the pages must be loaded within SNAP's ±5 minutes: http_load runs them
right after the first bare-view round.
"""

import json

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from accounts.models import ServiceConnection
from accounts.partners.models import Partner
from accounts.partners.services import register_partner, rotate_client_secret
from billing.models import Bill
from billing.partners.snap import auth, signing

PARTNER_ID = "BENCHBANK01"
COMPANY_CODE = "77777"
CHANNEL = "6021"
SIGNED_PER_PAGE = 30_000  # more than a page's run sends, so that every call carries a new X-EXTERNAL-ID

Request = tuple[str, str, str, dict[str, str]]


def _bank() -> tuple[rsa.RSAPrivateKey, str]:
    """The bench bank's fresh key pair and client secret (registered, or renewed when it exists)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    partner = Partner.objects.filter(partner_id=PARTNER_ID).first()
    if partner is None:
        _, secret = register_partner(
            name="Bench bank",
            partner_id=PARTNER_ID,
            company_code=COMPANY_CODE,
            channel_ids=[CHANNEL],
            public_key_pem=public.decode(),
        )
        return key, secret
    Partner.objects.filter(pk=partner.pk).update(public_key_pem=public.decode(), active=True)
    return key, rotate_client_secret(partner)


def _token(key: rsa.RSAPrivateKey) -> str:
    timestamp = _now()
    headers = {
        "X-CLIENT-KEY": PARTNER_ID,
        "X-TIMESTAMP": timestamp,
        "X-SIGNATURE": signing.rsa_signature(key, PARTNER_ID, timestamp),
    }
    return auth.issue_token(headers, {"grantType": "client_credentials"}).access_token


def _now() -> str:
    return timezone.localtime().isoformat(timespec="seconds")


def _va(account_number: str) -> dict[str, str]:
    service_id = COMPANY_CODE.rjust(8)
    return {
        "partnerServiceId": service_id,
        "customerNo": account_number,
        "virtualAccountNo": service_id + account_number,
    }


def _signed(path: str, body: dict, token: str, secret: str, external_id: str) -> Request:
    raw = json.dumps(body, separators=(",", ":"))
    timestamp = _now()
    string_to_sign = signing.transaction_string("POST", path, token, raw.encode(), timestamp)
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {token}",
        "X-TIMESTAMP": timestamp,
        "X-PARTNER-ID": PARTNER_ID,
        "X-EXTERNAL-ID": external_id,
        "CHANNEL-ID": CHANNEL,
        "X-SIGNATURE": signing.hmac_signature(secret, string_to_sign),
    }
    return ("POST", path, raw, headers)


def snap_pages(connections: list[ServiceConnection]) -> list[tuple[str, list[Request], dict[str, str]]]:
    """The inquiry page (one signed request per sampled connection that owes) and the repeated payment."""
    key, secret = _bank()
    token = _token(key)
    run = timezone.now().strftime("%H%M%S")
    owing = dict(
        Bill.objects.filter(
            connection__in=connections,
            connection__status=ServiceConnection.Status.ACTIVE,
            status=Bill.Status.OPEN,
        )
        .values_list("connection__account_number")
        .annotate(total=Sum("total"))
    )
    inquiry_path, payment_path = reverse("api:inquiry"), reverse("api:payment")
    # The paid connection owes nothing once the payment's check has run: its inquiries would be refused
    # ("paid bill"), so the inquiries rotate over the others.
    number, total = owing.popitem()
    # A bank sends a new X-EXTERNAL-ID with every call, and Tirta records each one: the set is larger than a
    # page's run takes (about 8,000 requests at 800 req/s for 10 s), so nearly every inquiry is a first use, as in
    # production, rather than a replay of an id seen earlier that day.
    accounts = list(owing)
    inquiries = [
        _signed(
            inquiry_path,
            {**_va(accounts[i % len(accounts)]), "inquiryRequestId": f"inq-{run}-{i}"},
            token,
            secret,
            f"i{run}{i}",
        )
        for i in range(SIGNED_PER_PAGE)
    ]
    payment_body = {
        **_va(number),
        "paymentRequestId": f"pay-{run}",
        "paidAmount": {"value": f"{total}.00", "currency": "IDR"},
        "flagAdvise": "N",
    }
    # The check before the load delivers the first one, which settles; the rest are the bank's retries, each
    # advised ("Y") with a new X-EXTERNAL-ID, and all get the first answer.
    retry = {**payment_body, "flagAdvise": "Y"}
    payments = [_signed(payment_path, payment_body, token, secret, f"p{run}")] + [
        _signed(payment_path, retry, token, secret, f"p{run}r{i}") for i in range(SIGNED_PER_PAGE)
    ]
    return [("SNAP inquiry", inquiries, {}), ("SNAP payment (repeat)", payments, {})]
