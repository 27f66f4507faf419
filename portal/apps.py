from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default = True
    name = "portal"
    verbose_name = _("Portal")


class TirtaAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with a site that asks staff for their second factor."""

    default = False
    default_site = "portal.admin_site.TirtaAdminSite"
