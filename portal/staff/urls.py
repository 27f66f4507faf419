"""Mounted at /staff/ inside the `portal` namespace (portal:staff-home, portal:staff-search, …)."""

from django.urls import path

from portal.staff.views import account, audit, delivery, home, search

urlpatterns = [
    path("", home.home, name="staff-home"),
    path("report.csv", home.report_csv, name="staff-report-csv"),
    path("search/", search.search, name="staff-search"),
    path("search.csv", search.search_csv, name="staff-search-csv"),
    path("connections/<str:account_number>/", account.account, name="staff-account"),
    path("connections/<str:account_number>/contact/", account.contact, name="staff-contact"),
    path("connections/<str:account_number>/notes/", account.add_note, name="staff-add-note"),
    path("connections/<str:account_number>/messages/<int:pk>/resend/", delivery.resend, name="staff-resend"),
    path("delivery/", delivery.delivery, name="staff-delivery"),
    path("audit/", audit.audit_log, name="staff-audit"),
    path("audit.csv", audit.audit_csv, name="staff-audit-csv"),
]
