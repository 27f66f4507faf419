from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts import shortlink_views
from accounts.providers import urls as provider_urls
from portal import dispute_views, legacy, views
from portal.api import api
from portal.privacy import views as privacy_views

portal_patterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("notifications/", views.notifications, name="notifications"),
    path("after-login/", views.after_login, name="after-login"),
    path("my-data/", privacy_views.my_data, name="my-data"),
    path("my-data/download/", privacy_views.download, name="my-data-download"),
    path("my-data/close/", privacy_views.close, name="my-data-close"),
    path("billing/bills/<int:pk>/question/", dispute_views.question, name="question-bill"),
    path("staff/bill-disputes/<int:pk>/", dispute_views.staff_bill_dispute, name="staff-bill-dispute"),
    path("staff/", include("portal.staff.urls")),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("healthz", views.healthz, name="healthz"),
    path("", api.urls),
    path("open311/v2/", include("complaints.open311.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("billing.urls")),
    path("", include("billing.payments.urls")),
    path("sandbox-gateway/", include("billing.payments.sandbox.urls")),
    path("complaints/", include("complaints.urls")),
    path("webhooks/", include("accounts.providers.urls")),
    path("webhooks/anymail/", include((provider_urls.anymail_patterns, "anymail"))),
    path("r/<str:token>", shortlink_views.follow, name="shortlink"),
    path("staff/", include("complaints.urls_staff")),
    path("", include(legacy.urlpatterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.bad_request"
handler404 = "portal.views.page_not_found"
handler403 = "portal.views.permission_denied"
handler500 = "portal.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
