from django.urls import path

from accounts.providers import sms_webhook, whatsapp_webhook

app_name = "webhooks"

urlpatterns = [
    path("whatsapp/", whatsapp_webhook.whatsapp_webhook, name="whatsapp"),
    path("sms/<str:token>/reports/", sms_webhook.reports, name="sms-reports"),
    path("sms/<str:token>/inbound/", sms_webhook.inbound, name="sms-inbound"),
]
