"""The sandbox gateway's side: its checkout page and its server-to-server notification.

Enabled by PAYMENT_SANDBOX_ENABLED (on by default with DEBUG). It signs with PAYMENT_SERVER_KEY exactly as
Midtrans does, so our endpoint cannot tell the two apart.
"""

import json
import logging
import secrets
import urllib.error
import urllib.request

from django.conf import settings

from billing.payments.methods import Method
from billing.payments.providers.base import midtrans_signature

logger = logging.getLogger("tirta.payments.sandbox")

METHODS = (Method.BANK_TRANSFER.value, Method.QRIS.value, Method.GOPAY.value)
ACTIONS = {"pay": ("200", "settlement"), "fail": ("202", "deny"), "expire": ("407", "expire")}


def notification_body(order_id: str, gross_amount: str, action: str, payment_type: str) -> dict[str, str]:
    """A Midtrans-format HTTP notification for the outcome chosen on the sandbox page."""
    status_code, transaction_status = ACTIONS[action]
    body = {
        "transaction_time": "",
        "transaction_status": transaction_status,
        "transaction_id": f"SBX-{secrets.token_hex(8)}",
        "status_message": "sandbox notification",
        "status_code": status_code,
        "signature_key": midtrans_signature(order_id, status_code, gross_amount, settings.PAYMENT_SERVER_KEY),
        "payment_type": payment_type,
        "order_id": order_id,
        "merchant_id": "SANDBOX",
        "gross_amount": gross_amount,
        "currency": "IDR",
    }
    if transaction_status == "settlement":
        body["fraud_status"] = "accept"
    return body


def post_notification(body: dict[str, str], url: str) -> int:
    """POST the notification to our endpoint at `url`; returns the HTTP status (raises OSError when unreachable).

    `url` is the notification address of the server the checkout page was served from, not SITE_URL: in the demo
    SITE_URL often names another address (a proxy, a LAN name) that this process cannot reach.
    """
    request = urllib.request.Request(  # noqa: S310 (the portal's own address, from a host it allows)
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
