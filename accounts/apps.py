from importlib import import_module

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def import_models(self) -> None:
        # Partners keep their model in their own package; loading it here registers it with the app.
        super().import_models()
        import_module("accounts.partners.models")

    def ready(self) -> None:
        from accounts import roles
        from accounts.providers import email_events  # noqa: F401  (connects the e-mail tracking receiver)

        roles.grant(
            roles.COUNTER,
            "accounts.lookup_connection",
            "accounts.view_customer",
            "accounts.view_serviceconnection",
            "accounts.update_contact",
            "accounts.add_staffnote",
            "accounts.resend_notification",
        )
        roles.grant(
            roles.COMPLAINTS,
            "accounts.lookup_connection",
            "accounts.view_serviceconnection",
            "accounts.update_contact",
            "accounts.add_staffnote",
        )
        roles.grant(roles.FIELD, "accounts.view_serviceconnection")
        roles.grant(roles.SUPERVISOR, "accounts.view_partner", "accounts.add_partner", "accounts.change_partner")
        roles.grant(
            roles.BILLING,
            "accounts.lookup_connection",
            "accounts.view_serviceconnection",
            "accounts.view_customer",
            "accounts.view_customerclass",
            "accounts.add_staffnote",
        )
        roles.grant(
            roles.SUPERVISOR,
            "accounts.change_customer",
            "accounts.change_serviceconnection",
            "accounts.view_notification",
            "accounts.resend_notification",
            "accounts.view_delivery_report",
            "accounts.search_audit",
            "accounts.export_csv",
        )
        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="accounts.sync_role_permissions")
