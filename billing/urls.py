"""Billing URLs, included at the site root: the public and customer pages under `billing/`, staff pages under
`staff/` like every staff page."""

from django.urls import path

from billing.views import corrections, customer, ebill, public, self_reading, self_reading_staff, staff

app_name = "billing"

urlpatterns = [
    path("billing/lookup/", public.lookup, name="lookup"),
    path("billing/estimate/", public.estimate, name="estimate"),
    path("billing/connections/<str:account_number>/", customer.connection_bills, name="connection"),
    path("billing/connections/<str:account_number>/alerts/", customer.usage_alerts, name="usage-alerts"),
    path("billing/connections/<str:account_number>/meter/", self_reading.new, name="self-reading-new"),
    path("billing/meter/", self_reading.new_public, name="self-reading-public"),
    path("billing/meter/<int:pk>/", self_reading.detail, name="self-reading"),
    path("billing/meter/<int:pk>/photo/", self_reading.photo, name="self-reading-photo"),
    path("billing/meter/<int:pk>/discard/", self_reading.discard, name="self-reading-discard"),
    path("billing/bills/<int:pk>/", customer.bill_detail, name="bill"),
    path("billing/bills/<int:pk>/pdf/", customer.bill_pdf, name="bill-pdf"),
    path("billing/e/<str:token>/", ebill.open_ebill, name="ebill"),
    path("billing/connections/<str:account_number>/paperless/", ebill.paperless, name="paperless"),
    path("staff/connections/<str:account_number>/ebill/", ebill.send_now, name="send-ebill"),
    path("staff/readings/import/", staff.import_readings, name="import-readings"),
    path("staff/self-readings/", self_reading_staff.queue, name="self-reading-queue"),
    path("staff/self-readings/<int:pk>/accept/", self_reading_staff.accept, name="self-reading-accept"),
    path("staff/self-readings/<int:pk>/reject/", self_reading_staff.reject, name="self-reading-reject"),
    path("staff/readings/to-read.csv", self_reading_staff.field_list, name="field-list"),
    path("staff/readings/import/<int:pk>/", staff.readings_import, name="readings-import"),
    path("staff/billing/questions/", corrections.dispute_list, name="dispute_list"),
    path("staff/billing/questions/<int:pk>/", corrections.dispute_staff, name="dispute_staff"),
    path("staff/connections/<str:account_number>/credit/refund/", corrections.refund_credit, name="credit-refund"),
]
