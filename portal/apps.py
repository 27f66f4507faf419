from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default = True
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from billing.signals import bill_dispute_resolved
        from portal.bill_disputes_resolution import resolve_ticket

        bill_dispute_resolved.connect(resolve_ticket, dispatch_uid="portal.bill_disputes_resolution")


class TirtaAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with a site that asks staff for their second factor."""

    default = False
    default_site = "portal.admin_site.TirtaAdminSite"
