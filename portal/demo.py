"""Demo data that spans apps: the demo customer's shop has one bill questioned (on hold, with its ticket)."""

import random
from typing import TextIO

from accounts.demo import DEMO_CUSTOMER_EMAIL
from accounts.models import User
from billing.models import BillDispute
from billing.services import latest_bill
from portal.bill_disputes import question_bill

REASON = "Tagihan toko bulan ini dua kali lipat dari biasanya, padahal toko tutup seminggu."


def seed(*, rng: random.Random, progress: bool, stdout: TextIO) -> None:
    """Question the latest bill of the demo customer's second connection (the shop), once."""
    customer = User.objects.filter(email=DEMO_CUSTOMER_EMAIL).first()
    if customer is None or BillDispute.objects.filter(opened_by=customer).exists():
        return
    shop = customer.connections.order_by("pk")[1:2].first()
    bill = shop and latest_bill(shop)
    if bill is None:
        return
    ticket = question_bill(bill, customer=customer, reason=REASON).complaint.ticket
    stdout.write(f"Questioned bill: {shop.account_number} {bill.period:%Y-%m} ({ticket}).")
