"""The e-bill: paperless connections get each new bill on their people's channels as a signed link.

Chosen design: the fan-out queues only a short message with a signed link (no PDF), so a bill run of a whole
city is a bulk insert of outbox rows and the workers send small messages. The PDF is rendered the first time
the link is opened and kept in storage, so each bill is rendered at most once (and never for bills nobody
opens). Once per bill and person: the dedupe key names the bill and the person.

The e-mail carries the link, not the file: every mail client opens a link, a 60 KB attachment per bill would
make each send wait for WeasyPrint (about half a second a bill) and fill inboxes, and the bill opened later is
the same kept PDF. WhatsApp is the one channel that needs the file (a document message, or a template with a
document header outside the 24-hour window): its row names the `billing.ebill_pdf` attachment, which the worker
renders at send time through the same kept file, so a bill is rendered once however many people and opens.
"""

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Prefetch, QuerySet

from accounts import audit
from accounts.models import ConnectionLink, Notification, ServiceConnection, User
from accounts.outbox import Attachment, Recipient, attachment_renderer, notify_many
from accounts.recipients import Kind, absolute_url, dedupe_key, recipients
from billing.jobs import bill_context
from billing.models import Bill, PaperlessBilling
from billing.pdf import render_bill_pdf

BATCH = 1000
_LINK_SALT = "billing.ebill"


def go_paperless(connection: ServiceConnection, chosen_by: User | None) -> bool:
    """Send this connection's bills as e-bills from now on; False when it was paperless already."""
    with transaction.atomic():
        _, created = PaperlessBilling.objects.get_or_create(connection=connection, defaults={"chosen_by": chosen_by})
    return created


def back_to_paper(connection: ServiceConnection) -> bool:
    """Print this connection's bills again; False when it was not paperless."""
    deleted, _ = PaperlessBilling.objects.filter(connection=connection).delete()
    return bool(deleted)


def send_ebills(period: date) -> int:
    """Queue the e-bills of `period` for every paperless connection, in batches through the outbox; returns the
    number of messages queued (bills already sent queue nothing, so a repeated call is harmless)."""
    return _send(
        Bill.objects.filter(period=period, connection__paperless__isnull=False).exclude(status=Bill.Status.VOID)
    )


def send_ebill(bill: Bill, actor: User) -> int:
    """Queue one bill's e-bill to its connection's people now (staff, on demand; audited), paperless or not;
    once per bill and person like the bill run's. Returns the number of messages queued."""
    with transaction.atomic():
        queued = _send(Bill.objects.filter(pk=bill.pk))
        summary = f"e-bill {bill.period:%Y-%m}: {queued} message(s) queued"
        audit.record(actor, "billing.ebill_send", bill, connection=bill.connection, summary=summary)
    return queued


def _send(bills: QuerySet[Bill]) -> int:
    links = Prefetch("connection__links", queryset=ConnectionLink.objects.select_related("user"))
    chosen = bills.select_related("connection__customer").prefetch_related(links).order_by("pk")
    messages = _messages(chosen.iterator(chunk_size=BATCH))
    return notify_many(messages, "billing/ebill", {}, batch_size=BATCH, attachments=_files)


def _files(channel: str, context: dict[str, Any]) -> list[Attachment]:
    """The bill's PDF for a WhatsApp document; every other channel carries the link only."""
    if channel != Notification.Channel.WHATSAPP:
        return []
    return [Attachment("billing.ebill_pdf", {"bill_id": context["bill_id"]})]


def _messages(bills: Iterable[Bill]) -> Iterator[tuple[Recipient, str, dict[str, Any]]]:
    for bill in bills:
        link = absolute_url("billing:ebill", link_token(bill))
        context = {**bill_context(bill), "bill_id": bill.pk, "ebill_url": link}
        for recipient in recipients(bill.connection, Kind.BILLS):
            yield recipient, dedupe_key("billing:ebill", bill.pk, recipient=recipient), context


def link_token(bill: Bill) -> str:
    """The signed token of a bill's e-bill link; it opens the bill's PDF without signing in."""
    return signing.dumps(bill.pk, salt=_LINK_SALT, compress=True)


def bill_for_token(token: str) -> Bill | None:
    """The bill a genuine token names while the link is valid (EBILL_LINK_DAYS); None otherwise."""
    try:
        pk = signing.loads(token, salt=_LINK_SALT, max_age=timedelta(days=settings.EBILL_LINK_DAYS))
    except signing.BadSignature:  # also a link past its age (SignatureExpired)
        return None
    if not isinstance(pk, int):
        return None
    return Bill.objects.select_related("connection__customer", "connection__customer_class").filter(pk=pk).first()


def ebill_pdf(bill: Bill) -> tuple[str, bytes]:
    """The bill's file name and PDF: rendered on the first open and kept, then read from storage (an issued
    bill's lines never change)."""
    path = f"ebills/{bill.period:%Y-%m}/{bill.pk}.pdf"
    filename = f"tagihan-{bill.connection.account_number}-{bill.period:%Y-%m}.pdf"
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as stored:
            return filename, stored.read()
    _, content, _ = render_bill_pdf(bill)
    # Two first opens at once may both render: the later save gets another name and is dropped.
    saved = default_storage.save(path, ContentFile(content))
    if saved != path:
        default_storage.delete(saved)
    return filename, content


@attachment_renderer("billing.ebill_pdf")
def ebill_pdf_attachment(bill_id: int) -> tuple[str, bytes, str]:
    """The bill's kept PDF for a channel that carries the file, rendered by the worker on the first send."""
    bill = Bill.objects.select_related("connection__customer", "connection__customer_class").get(pk=bill_id)
    filename, content = ebill_pdf(bill)
    return filename, content, "application/pdf"
