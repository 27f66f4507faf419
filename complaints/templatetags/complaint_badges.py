"""`{{ complaint|status_badge }}` and `{{ complaint.sla_state|sla_badge }}`: a ticket's status and service-level
badges.

Filters rather than included templates because the staff queue shows them on each of its 50 rows, where an
include (a template context pushed, a node list rendered) cost ten times the markup it produced.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from complaints.models import Complaint, SlaState

register = template.Library()

_SLA_BADGE_CLASSES = {SlaState.BREACHED: "badge-overdue", SlaState.DUE_SOON: "badge-warn"}


@register.filter
def status_badge(complaint: Complaint) -> SafeString:
    return format_html(
        '<span class="badge status status-{}">{}</span>', complaint.status, capfirst(complaint.get_status_display())
    )


@register.filter
def sla_badge(state: str) -> SafeString | str:
    """A space and the badge of a breached or soon due ticket; nothing while it is on time or stopped."""
    css = _SLA_BADGE_CLASSES.get(state)
    return format_html(' <span class="badge {}">{}</span>', css, SlaState(state).label) if css else ""
