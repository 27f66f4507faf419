"""Billing URLs, included at the site root: the public and customer pages under `billing/`, staff pages under
`staff/` like every staff page."""

from django.urls import path

from billing.views import corrections, customer, ebill, public, staff

app_name = "billing"

urlpatterns = [
    path("billing/lookup/", public.lookup, name="lookup"),
    path("billing/estimate/", public.estimate, name="estimate"),
    path("billing/connections/<str:account_number>/", customer.connection_bills, name="connection"),
    path("billing/connections/<str:account_number>/alerts/", customer.usage_alerts, name="usage-alerts"),
    path("billing/bills/<int:pk>/", customer.bill_detail, name="bill"),
    path("billing/bills/<int:pk>/pdf/", customer.bill_pdf, name="bill-pdf"),
    path("billing/e/<str:token>/", ebill.open_ebill, name="ebill"),
    path("billing/connections/<str:account_number>/paperless/", ebill.paperless, name="paperless"),
    path("staff/connections/<str:account_number>/ebill/", ebill.send_now, name="send-ebill"),
    path("staff/readings/import/", staff.import_readings, name="import-readings"),
    path("staff/readings/import/<int:pk>/", staff.readings_import, name="readings-import"),
    path("staff/billing/questions/", corrections.dispute_list, name="dispute_list"),
    path("staff/billing/questions/<int:pk>/", corrections.dispute_staff, name="dispute_staff"),
    path("staff/connections/<str:account_number>/credit/refund/", corrections.refund_credit, name="credit-refund"),
]
