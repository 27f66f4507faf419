"""Receipts: loading one with everything it shows, its QR code, and its PDF (A4 or 80 mm thermal).

The PDF template keeps to block layout in one font face: WeasyPrint's flex layout, tables and extra font
faces are what make a receipt slow (see bench/receipt_pdf.py).
"""

import base64
import io
import threading

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.outbox import attachment_renderer
from billing.payments import tokens
from billing.payments.models import PaymentBill, Receipt
from billing.services import mask_name, street_only

A4 = "a4"
THERMAL = "thermal"
LAYOUTS = (A4, THERMAL)


def receipts_with_details() -> QuerySet[Receipt]:
    """Receipts with their payment, connection, customer, cashier and bills in a fixed number of queries."""
    allocations = PaymentBill.objects.select_related("bill").order_by("bill__period")
    return Receipt.objects.select_related(
        "payment__connection__customer", "payment__connection__customer_class", "payment__cashier"
    ).prefetch_related(Prefetch("payment__allocations", queryset=allocations))


def verification_url(receipt: Receipt) -> str:
    return settings.SITE_URL + reverse("payments:verify", args=[tokens.receipt_token(receipt)])


def qr_data_uri(url: str) -> str:
    """The QR code as an 8-bit greyscale PNG data URI, one pixel per module, scaled up crisply in the PDF.

    Chosen for WeasyPrint's speed: a tiny bitmap draws much faster than an SVG path, and greyscale (unlike
    segno's 1-bit PNG) is embedded without being converted and re-encoded first.
    """
    import segno
    from PIL import Image

    # A fixed mask: choosing the "best" of eight costs 4 ms per receipt in pure Python; every mask is valid
    # and scanners read them all.
    code = segno.make(url, error="m", mask=0)
    rows = [bytes(0 if dark else 255 for dark in row) for row in code.matrix_iter(scale=1, border=1)]
    image = Image.frombytes("L", (len(rows[0]), len(rows)), b"".join(rows))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def receipt_context(receipt: Receipt, layout: str = A4, *, masked: bool = False) -> dict:
    """What a receipt shows. `masked` is the public copy (behind the QR code, or sent to an address not on
    record): the holder's name masked and the street without the house, as on the verification page, and
    neither the cashier nor the usage."""
    url = verification_url(receipt)
    connection = receipt.payment.connection
    return {
        "masked": masked,
        "holder_name": mask_name(connection.customer.name) if masked else connection.customer.name,
        "holder_address": street_only(connection.address) if masked else connection.address,
        "receipt": receipt,
        "payment": receipt.payment,
        "connection": receipt.payment.connection,
        "allocations": list(receipt.payment.allocations.all()),
        "layout": layout if layout in LAYOUTS else A4,
        "verify_url": url,
        "qr": qr_data_uri(url),
        "UTILITY_NAME": settings.UTILITY_NAME,
        "SITE_URL": settings.SITE_URL,
    }


def filename(receipt: Receipt) -> str:
    return f"kuitansi-{receipt.number.replace('/', '-')}.pdf"


_local = threading.local()


def font_config():
    """One WeasyPrint FontConfiguration per thread, reused: a fresh one per document (WeasyPrint's default)
    leaks about 0.2 MiB of fontconfig/pango state each time, which a long-lived worker cannot afford."""
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


def render_receipt_pdf(receipt: Receipt, layout: str = A4, *, masked: bool = False) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is actually wanted

    html = render_to_string("billing/payments/receipt_pdf.html", receipt_context(receipt, layout, masked=masked))
    return HTML(string=html).write_pdf(font_config=font_config())


@attachment_renderer("billing.receipt_pdf")
def receipt_pdf_attachment(receipt_id: int, masked: bool = False) -> tuple[str, bytes, str]:
    receipt = receipts_with_details().get(pk=receipt_id)
    return filename(receipt), render_receipt_pdf(receipt, masked=masked), "application/pdf"
