from django.urls import path

from billing.views import customer, public, staff

app_name = "billing"

urlpatterns = [
    path("cek/", public.lookup, name="lookup"),
    path("estimate/", public.estimate, name="estimate"),
    path("connections/<str:account_number>/", customer.connection_bills, name="connection"),
    path("bills/<int:pk>/", customer.bill_detail, name="bill"),
    path("bills/<int:pk>/pdf/", customer.bill_pdf, name="bill-pdf"),
    path("staff/readings/import/", staff.import_readings, name="import-readings"),
]
