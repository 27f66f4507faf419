from django.urls import path

from complaints.views import counter, outages, staff

app_name = "complaints_staff"

urlpatterns = [
    path("complaints/", staff.queue, name="queue"),
    path("complaints/bulk-assign/", staff.bulk_assign, name="bulk-assign"),
    path("complaints/<str:ticket>/", staff.ticket, name="ticket"),
    path("complaints/<str:ticket>/change/", staff.transition, name="transition"),
    path("complaints/<str:ticket>/note/", staff.note, name="note"),
    path("connections/<str:account_number>/complaint/", counter.file_for_customer, name="file-for-customer"),
    path("outages/", outages.outage_list, name="outages"),
    path("outages/new/", outages.outage_new, name="outage-new"),
    path("outages/<int:pk>/edit/", outages.outage_edit, name="outage-edit"),
    path("outages/<int:pk>/close/", outages.outage_close, name="outage-close"),
]
