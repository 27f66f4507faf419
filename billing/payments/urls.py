"""Payments URLs, included at the site root from portal/urls.py: the customer's and the gateway's under
`payments/`, the counter's and the supervisor's under `staff/`."""

from django.urls import path

from billing.partners.snap import staff as partner_staff
from billing.payments.views import counter, customer, public, supervisor

app_name = "payments"

urlpatterns = [
    path("payments/notify/", public.notify, name="notify"),
    path("payments/pay/", customer.pay_public, name="pay-public"),
    path("payments/pay/<str:account_number>/", customer.pay, name="pay"),
    path("payments/status/<str:token>/", customer.status, name="status"),
    path("payments/status/<str:token>/receipt.pdf", customer.status_receipt_pdf, name="status-receipt-pdf"),
    path("payments/receipts/", customer.receipt_list, name="receipts"),
    path("payments/receipts/all.zip", customer.receipt_archive, name="receipt-archive"),
    path("payments/receipts/<int:pk>/pdf/", customer.receipt_pdf, name="receipt-pdf"),
    path("payments/receipts/<int:pk>/print/", customer.receipt_print, name="receipt-print"),
    path("payments/verify/<str:token>/", public.verify, name="verify"),
    path("payments/verify/<str:token>/receipt.pdf", public.verify_pdf, name="verify-pdf"),
    path("staff/cash/report/", counter.cash_report, name="cash-report"),
    path("staff/cash/<int:connection_id>/", counter.counter_cash, name="counter-cash"),
    path(
        "staff/connections/<str:account_number>/receipts/<int:receipt_id>/resend/",
        counter.resend_receipt,
        name="resend-receipt",
    ),
    path("staff/payments/credits/", supervisor.credits, name="credits"),
    path("staff/payments/<int:pk>/reverse/", supervisor.reverse_payment, name="reverse"),
    path("staff/payments/<int:pk>/refunded/", supervisor.mark_refunded, name="mark-refunded"),
    path("staff/partners/settlement/", partner_staff.settlement, name="partner-settlement"),
    path("staff/partners/settlement.csv", partner_staff.settlement_csv, name="partner-settlement-csv"),
]
