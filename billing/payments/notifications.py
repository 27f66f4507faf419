"""The gateway's HTTP notification: a trigger, not the truth.

Verify the signature, find the order, check the amount, then move the payment's state forward once. Every
notification is stored as received. What can never become valid gets a 4xx and changes nothing but the log.
"""

import json
import logging
from dataclasses import dataclass

from django.db import transaction

from billing.payments import services
from billing.payments.models import Payment, PaymentNotification
from billing.payments.providers import get_provider, online_provider
from billing.payments.providers.base import Outcome, amount_matches

logger = logging.getLogger("tirta.payments")

REQUIRED = ("order_id", "status_code", "gross_amount", "transaction_status", "signature_key")
OPTIONAL = ("transaction_id", "payment_type", "fraud_status")
MAX_STORED = 10_000  # characters of a body kept; a genuine notification is about 1 KB


@dataclass(frozen=True)
class Answer:
    status: int
    detail: str


class Rejected(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def parse(body: bytes) -> dict[str, str]:
    """The notification's fields as the strings received; Rejected(400) for anything else."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nesting deeper than the parser's stack
        raise Rejected(400, "malformed JSON") from None
    if not isinstance(data, dict):
        raise Rejected(400, "not a JSON object")
    missing = [name for name in REQUIRED if not isinstance(data.get(name), str) or not data[name]]
    if missing:
        raise Rejected(400, f"missing or not a string: {', '.join(missing)}")
    fields = {name: data[name] for name in REQUIRED + OPTIONAL if isinstance(data.get(name), str)}
    if any("\x00" in value for value in fields.values()):
        raise Rejected(400, "NUL character in a field")
    if not all(_encodable(value) for value in fields.values()):
        raise Rejected(400, "lone surrogate in a field")
    return fields


def _encodable(text: str) -> bool:
    """Whether the text is valid Unicode: JSON's `\\ud800` escape gives a lone surrogate no database stores."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def storable(text: str) -> str:
    """The text with NUL escaped: PostgreSQL refuses NUL in text columns, and a rejected body is kept anyway."""
    return text.replace("\x00", "\\u0000")


def _store(body: bytes, data: dict[str, str], payment: Payment | None, outcome: str, detail: str, remote_addr):
    PaymentNotification.objects.create(
        payment=payment,
        order_id=storable(data.get("order_id", ""))[:100],
        transaction_status=storable(data.get("transaction_status", ""))[:32],
        body=storable(body.decode("utf-8", "replace"))[:MAX_STORED],
        remote_addr=remote_addr,
        outcome=outcome,
        detail=detail[:200],
    )


def _check(data: dict[str, str]) -> Payment:
    payment = Payment.objects.filter(order_id=data["order_id"]).first()
    provider = get_provider(payment.provider) if payment is not None else online_provider()
    if not provider.verify_notification(data):
        raise Rejected(403, "bad signature")
    if not provider.consistent(data):
        raise Rejected(400, f"status_code {data['status_code']} contradicts {data['transaction_status']}")
    if payment is None:
        raise Rejected(404, "unknown order")
    if not amount_matches(data["gross_amount"], payment.amount):
        raise Rejected(400, f"amount {data['gross_amount']} differs from {payment.amount}")
    return payment


def _apply(payment: Payment, outcome: Outcome, data: dict[str, str]) -> bool:
    payment_type = data.get("payment_type", "")[:32]
    if outcome is Outcome.PAID:
        settlement = services.settle(
            payment.pk, payment_type=payment_type, transaction_id=data.get("transaction_id", "")[:100]
        )
        return settlement.changed
    if outcome is Outcome.FAILED:
        return services.close(payment.pk, Payment.Status.FAILED, payment_type=payment_type)
    if outcome is Outcome.EXPIRED:
        return services.close(payment.pk, Payment.Status.EXPIRED, payment_type=payment_type)
    return False  # pending (or a status we do not act on) never moves a payment backwards


def handle(body: bytes, remote_addr: str | None = None) -> Answer:
    """Process one notification; the answer is sent only after its effects are committed."""
    data: dict[str, str] = {}
    try:
        data = parse(body)
        payment = _check(data)
    except Rejected as rejected:
        logger.warning(
            "payment notification rejected (%s) from %s: order %r", rejected.detail, remote_addr, data.get("order_id")
        )
        _store(body, data, None, PaymentNotification.Outcome.REJECTED, rejected.detail, remote_addr)
        return Answer(rejected.status, rejected.detail)
    outcome = get_provider(payment.provider).map_status(data)
    if outcome is Outcome.PAID and services.is_settled(payment):
        # The gateway repeats a notification until it is answered, often after the first one settled it.
        _store(body, data, payment, PaymentNotification.Outcome.UNCHANGED, outcome.value, remote_addr)
        return Answer(200, PaymentNotification.Outcome.UNCHANGED)
    with transaction.atomic():
        changed = _apply(payment, outcome, data)
        result = PaymentNotification.Outcome.APPLIED if changed else PaymentNotification.Outcome.UNCHANGED
        _store(body, data, payment, result, outcome.value, remote_addr)
    if outcome is Outcome.IGNORED:
        logger.info("payment %s: status %s acknowledged, not acted on", payment.order_id, data["transaction_status"])
    return Answer(200, result)
