from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def import_models(self) -> None:
        # Payments own their models (billing/payments/models.py, which imports billing.models); loading them
        # here registers them with the app without billing.models importing them back.
        super().import_models()
        import_module("billing.payments.models")
        import_module("billing.partners.snap.models")

    def ready(self) -> None:
        from accounts import roles

        # Imported for what they register: the link verifier, the PDF attachment, the usage alerts' hook.
        from billing import pdf, services, usage_alerts  # noqa: F401
        from billing.payments import setup as payments_setup

        roles.grant(
            roles.BILLING,
            "billing.view_tariff",
            "billing.add_tariff",
            "billing.change_tariff",
            "billing.view_tariffblock",
            "billing.add_tariffblock",
            "billing.change_tariffblock",
            "billing.delete_tariffblock",
            "billing.view_tarifffixedcharge",
            "billing.add_tarifffixedcharge",
            "billing.change_tarifffixedcharge",
            "billing.delete_tarifffixedcharge",
            "billing.view_meterreading",
            "billing.add_meterreading",
            "billing.change_meterreading",
            "billing.view_latefeerule",
            "billing.add_latefeerule",
            "billing.change_latefeerule",
            "billing.view_bill",
            "billing.view_billrun",
            "billing.view_selfreading",
            "billing.change_selfreading",
            # Answering questioned bills: confirm or correct (billing/corrections.py), and see the credit it moves.
            "billing.view_billdispute",
            "billing.change_billdispute",
            "billing.view_creditentry",
            "billing.view_creditbalance",
            "billing.view_readingcorrection",
        )
        roles.grant(roles.COUNTER, "billing.view_bill", "billing.view_creditentry")
        roles.grant(roles.SUPERVISOR, "billing.view_snapexchange", "billing.view_snappayment", "billing.refund_credit")
        payments_setup.ready()
