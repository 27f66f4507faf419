"""Reconciling a partner's daily settlement file with the payments Tirta recorded for the same business date.

The file is CSV with a header row and the columns `business_date,payment_request_id,customer_no,amount`
(`2026-12-01,PAY-000123,1001000001,75000.00`); the business date is the partner's, cut at its settlement cut-off.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from accounts.partners.models import Partner
from billing.partners.snap.models import SnapPayment
from billing.payments.models import Payment

COLUMNS = ["business_date", "payment_request_id", "customer_no", "amount"]


class SettlementFileError(ValueError):
    """The file cannot be read as a settlement file; the message says where."""


@dataclass(frozen=True)
class Line:
    payment_request_id: str
    customer_no: str
    amount: int
    receipt_number: str = ""


@dataclass
class Reconciliation:
    business_date: date
    matched: list[Line] = field(default_factory=list)
    missing_in_tirta: list[Line] = field(default_factory=list)
    missing_in_file: list[Line] = field(default_factory=list)
    amount_differences: list[tuple[Line, Line]] = field(default_factory=list)  # (Tirta's, the partner's)

    @property
    def balanced(self) -> bool:
        return not (self.missing_in_tirta or self.missing_in_file or self.amount_differences)


def read_settlement_file(text: str) -> tuple[date, list[Line]]:
    """The business date and lines of a settlement file; SettlementFileError on any malformed row."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None or [name.strip() for name in reader.fieldnames] != COLUMNS:
        raise SettlementFileError(_("The first row must be: %(columns)s.") % {"columns": ",".join(COLUMNS)})
    days: set[date] = set()
    lines = []
    for number, row in enumerate(reader, start=2):
        try:
            days.add(date.fromisoformat(row["business_date"].strip()))
            amount = Decimal(row["amount"].strip())
            if amount != amount.to_integral_value():
                raise InvalidOperation
            lines.append(Line(row["payment_request_id"].strip(), row["customer_no"].strip(), int(amount)))
        except (ValueError, InvalidOperation, AttributeError):
            raise SettlementFileError(_("Row %(number)d cannot be read.") % {"number": number}) from None
    if len(days) != 1:
        raise SettlementFileError(_("A settlement file covers exactly one business date."))
    return days.pop(), lines


def payments_of_day(partner: Partner, business_date: date) -> list[Line]:
    """Tirta's payments from the partner on a business date that still stand (reversed ones are not counted)."""
    records = (
        SnapPayment.objects.filter(partner=partner, business_date=business_date, payment__status=Payment.Status.PAID)
        .select_related("payment__receipt")
        .order_by("created_at")
    )
    return [
        Line(record.payment_request_id, record.customer_no, record.amount, record.payment.receipt.number)
        for record in records
    ]


def reconcile(partner: Partner, business_date: date, lines: list[Line]) -> Reconciliation:
    """What is missing on either side and what differs in amount, matched on paymentRequestId."""
    ours = {line.payment_request_id: line for line in payments_of_day(partner, business_date)}
    theirs = {line.payment_request_id: line for line in lines}
    result = Reconciliation(business_date)
    for request_id, line in theirs.items():
        mine = ours.get(request_id)
        if mine is None:
            result.missing_in_tirta.append(line)
        elif mine.amount != line.amount:
            result.amount_differences.append((mine, line))
        else:
            result.matched.append(mine)
    result.missing_in_file = [line for request_id, line in ours.items() if request_id not in theirs]
    return result
