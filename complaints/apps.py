from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def import_models(self) -> None:
        # Open311 keeps its model in its own package; loading it here registers it with the app.
        super().import_models()
        import_module("complaints.open311.models")

    def ready(self) -> None:
        from django.db.models import signals

        from accounts import roles
        from complaints.models import Outage
        from complaints.services.outages import forget_public_notices

        # Signals rather than calls in the services: a notice edited in the admin must refresh the home page too.
        def forget(**kwargs) -> None:
            forget_public_notices()

        for name, signal, sender in (
            ("saved", signals.post_save, Outage),
            ("deleted", signals.post_delete, Outage),
            ("areas", signals.m2m_changed, Outage.areas.through),
        ):
            signal.connect(forget, sender=sender, weak=False, dispatch_uid=f"complaints.forget_notices.{name}")

        roles.grant(roles.COUNTER, "complaints.view_complaint", "complaints.add_complaint")
        roles.grant(
            roles.COMPLAINTS,
            "complaints.view_complaint",
            "complaints.add_complaint",
            "complaints.triage_complaint",
            "complaints.manage_outage",
            "complaints.view_outage",
        )
        roles.grant(roles.FIELD, "complaints.view_complaint", "complaints.work_complaint")
        roles.grant(
            roles.SUPERVISOR,
            "complaints.supervise_complaint",
            "complaints.view_category",
            "complaints.add_category",
            "complaints.change_category",
        )
