"""Daily billing jobs: late fees on overdue bills and reminders before bills fall due."""

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Prefetch

from accounts.models import ConnectionLink
from accounts.outbox import Recipient, notify_many
from accounts.recipients import Kind, absolute_url, dedupe_key, recipients
from billing.models import Bill, BillLine, LateFeeRule

REMINDER_DAYS = 3
BATCH = 500


def apply_late_fees(today: date) -> int:
    """Add each active rule's fee once to every bill still open `days_overdue` days after its due date.

    Bills are locked while the line is added and the total raised, so a payment settling at the same
    moment either sees the fee or the bill is already paid (and paid bills never get a fee). The partial
    unique constraint on bill+rule makes a repeated run add nothing. Returns the number of fees added.
    """
    added = 0
    for rule in LateFeeRule.objects.filter(active=True):
        cutoff = today - timedelta(days=rule.days_overdue)
        has_fee = BillLine.objects.filter(bill=OuterRef("pk"), kind=BillLine.Kind.LATE_FEE, late_fee_rule=rule)
        while True:
            with transaction.atomic():
                bills = list(
                    Bill.objects.select_for_update(skip_locked=True)
                    .filter(status=Bill.Status.OPEN, due_date__lt=cutoff)
                    .exclude(Exists(has_fee))
                    .order_by("pk")
                    .values_list("pk", flat=True)[:BATCH]
                )
                if not bills:
                    break
                BillLine.objects.bulk_create(
                    BillLine(
                        bill_id=pk,
                        position=100 + rule.days_overdue,
                        kind=BillLine.Kind.LATE_FEE,
                        description=rule.name,
                        unit_price=rule.amount,
                        amount=rule.amount,
                        late_fee_rule=rule,
                    )
                    for pk in bills
                )
                Bill.objects.filter(pk__in=bills).update(total=F("total") + rule.amount)
                added += len(bills)
    return added


def bill_context(bill: Bill) -> dict[str, Any]:
    return {
        "account_number": bill.connection.account_number,
        "period": bill.period.isoformat(),
        "total": bill.total,
        "due_date": bill.due_date.isoformat(),
        "bill_url": absolute_url("billing:bill", bill.pk),
    }


def send_due_reminders(today: date) -> int:
    """Remind the holders of open bills falling due within the next three days, once per bill and person.

    The window (not just "exactly in three days") lets a missed day catch up; the dedupe key keeps it to
    one message, so a second run the same day queues nothing. Messages are inserted in batches of
    `BATCH`. Returns the number of messages queued.
    """
    links = Prefetch("connection__links", queryset=ConnectionLink.objects.select_related("user"))
    bills = (
        Bill.objects.filter(
            status=Bill.Status.OPEN, due_date__gt=today, due_date__lte=today + timedelta(days=REMINDER_DAYS)
        )
        .select_related("connection__customer")
        .prefetch_related(links)
        .order_by("pk")
    )
    return notify_many(_reminders(bills.iterator(chunk_size=BATCH)), "billing/due_reminder", {}, batch_size=BATCH)


def _reminders(bills: Iterable[Bill]) -> Iterator[tuple[Recipient, str, dict[str, Any]]]:
    for bill in bills:
        context = bill_context(bill)
        for recipient in recipients(bill.connection, Kind.BILLS):
            yield recipient, dedupe_key("billing:due", bill.pk, recipient=recipient), context
