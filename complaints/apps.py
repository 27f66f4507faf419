from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from accounts import roles

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
