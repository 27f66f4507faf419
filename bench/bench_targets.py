"""What bench/http_load.py requests: for each page of issue 9, realistic requests drawn from the seeded data.

Runs inside the benchmark process with the server's settings: sessions are written to the same database and
tokens signed with the same key, exactly as a sign-in or a checkout would make them.
"""

import json
import random
from urllib.parse import quote

from bench_sessions import signed_in
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Max, Min
from django.urls import reverse
from http_load import SERVER_KEY
from snap_targets import snap_pages

from accounts.demo import DEMO_CUSTOMER_EMAIL
from accounts.models import ServiceConnection
from billing.models import Bill
from billing.payments import tokens
from billing.payments.models import Payment
from billing.payments.providers.base import midtrans_signature
from billing.services import street_only
from complaints.models import Complaint
from complaints.views.public import SESSION_KEY as TRACKED_TICKETS

SAMPLE = 200
rng = random.Random(9)

Request = tuple[str, str, str]


def sample_connections() -> list[ServiceConnection]:
    bounds = ServiceConnection.objects.aggregate(first=Min("pk"), last=Max("pk"))
    ids = {rng.randint(bounds["first"], bounds["last"]) for _ in range(SAMPLE)}
    return list(ServiceConnection.objects.filter(pk__in=ids).select_related("customer"))


def typo(word: str) -> str:
    """One letter swapped with its neighbour, as fast typists do."""
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 2)
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def search_queries(connections: list[ServiceConnection]) -> list[str]:
    """What counter staff type: names (whole, with a typo, half a word), account and meter numbers, streets,
    phone numbers in the formats people read them out."""
    queries = []
    for connection in connections[:60]:
        name = connection.customer.name.split()
        phone = connection.customer.phone
        queries += [
            " ".join(name[:2]),
            typo(name[0].lower()),
            name[-1][:4].lower(),
            connection.account_number,
            connection.account_number[:7],
            connection.meter_number,
            street_only(connection.address).lower(),
        ]
        if phone:
            digits = phone.removeprefix("+62")
            queries += [f"0{digits[:3]} {digits[3:7]} {digits[7:]}", f"+62 {digits[:3]}-{digits[3:9]}"]
    rng.shuffle(queries)
    return queries


def targets(port: int) -> list[tuple[str, list[Request], dict[str, str]]]:
    connections = sample_connections()
    customer = signed_in(DEMO_CUSTOMER_EMAIL)
    counter = signed_in("counter@demo.tirta.test")
    officer = signed_in("complaints@demo.tirta.test")
    mine = list(ServiceConnection.objects.filter(links__user__email=DEMO_CUSTOMER_EMAIL))
    bills = Bill.objects.filter(connection__in=mine).order_by("-period").values_list("pk", flat=True)[:12]
    paid = list(Payment.objects.filter(status=Payment.Status.PAID, provider="sandbox").order_by("-pk")[:50])
    tickets = list(Complaint.objects.order_by("-created_at").values_list("ticket", flat=True)[:SAMPLE])
    tracking = SessionStore()
    tracking[TRACKED_TICKETS] = tickets
    tracking.create()
    origin = f"https://127.0.0.1:{port}"
    form = {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin, "Referer": f"{origin}/"}
    return [
        ("bare view", [get("bench-bare")], {}),
        # Signed with timestamps of now: loaded first, well inside SNAP's five minutes.
        *snap_pages(connections),
        ("home", [get("portal:home")], {}),
        (
            "lookup result (POST)",
            [("POST", reverse("billing:lookup"), c.account_number) for c in connections],  # form filled later
            form,
        ),
        ("guest payment status", [get("payments:status", tokens.status_token(p)) for p in paid], {}),
        ("dashboard", [get("portal:dashboard")], customer),
        ("connection page", [get("billing:connection", c.account_number) for c in mine], customer),
        ("bill detail", [get("billing:bill", pk) for pk in bills], customer),
        (
            "staff search",
            [("GET", f"{reverse('portal:staff-search')}?q={quote(q)}", "") for q in search_queries(connections)],
            counter,
        ),
        ("staff account", [get("portal:staff-account", c.account_number) for c in connections], counter),
        ("staff home", [get("portal:staff-home")], counter),
        ("complaint queue", [get("complaints_staff:queue")], officer),
        (
            "public tracking",
            [get("complaints:ticket", t) for t in tickets],
            {"Cookie": f"sessionid={tracking.session_key}"},
        ),
        ("healthz", [get("healthz")], {}),
        (
            "payment notification (repeat)",
            [("POST", reverse("payments:notify"), notification(p)) for p in paid],
            {"Content-Type": "application/json"},
        ),
    ]


def get(name: str, *args) -> Request:
    return ("GET", reverse(name, args=args), "")


def notification(payment: Payment) -> str:
    """The gateway's settlement notification of an order already paid: the idempotent path."""
    gross = f"{payment.amount}.00"
    return json.dumps(
        {
            "order_id": payment.order_id,
            "status_code": "200",
            "gross_amount": gross,
            "transaction_status": "settlement",
            "transaction_id": f"bench-{payment.pk}",
            "payment_type": "bank_transfer",
            "signature_key": midtrans_signature(payment.order_id, "200", gross, SERVER_KEY),
        }
    )
