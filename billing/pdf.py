"""The bill as a printable A4 PDF, rendered with WeasyPrint from an HTML template."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.outbox import attachment_renderer
from billing.models import Bill


def render_bill_pdf(bill: Bill) -> tuple[str, bytes, str]:
    from weasyprint import HTML  # heavy import: only when a PDF is actually wanted

    html = render_to_string(
        "billing/bill_pdf.html",
        {
            "bill": bill,
            "UTILITY_NAME": settings.UTILITY_NAME,
            "SITE_URL": settings.SITE_URL,
            "today": timezone.localdate(),
        },
    )
    content = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return f"tagihan-{bill.connection.account_number}-{bill.period:%Y-%m}.pdf", content, "application/pdf"


@attachment_renderer("billing.bill_pdf")
def bill_pdf_attachment(bill_id: int) -> tuple[str, bytes, str]:
    bill = Bill.objects.select_related("connection__customer", "connection__customer_class").get(pk=bill_id)
    return render_bill_pdf(bill)
