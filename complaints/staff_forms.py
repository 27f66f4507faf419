"""Forms of the staff side: queue filters, ticket actions and outage notices."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Area
from accounts.widgets import QuickSelect
from complaints.models import Category, Complaint, Outage, SlaState
from complaints.services.outages import NoticeData
from complaints.services.queries import QueueFilters
from complaints.services.tickets import normalise_ticket
from complaints.services.workflow import assignable_staff

SORTS = {
    "due": ("due_at", _("due first")),
    "newest": ("-created_at", _("newest first")),
    "oldest": ("created_at", _("oldest first")),
}


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name or obj.email


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All open")), ("all", _("All")), *list(Complaint.Status.choices)],
        widget=QuickSelect,
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False, empty_label=_("All"), widget=QuickSelect
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.order_by("name"),
        required=False,
        empty_label=_("All"),
        widget=QuickSelect,
    )
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False, widget=QuickSelect)
    sla = forms.ChoiceField(
        label=_("Service level"),
        required=False,
        choices=[
            ("", _("All")),
            (SlaState.DUE_SOON, SlaState.DUE_SOON.label),
            (SlaState.BREACHED, SlaState.BREACHED.label),
        ],
        widget=QuickSelect,
    )
    escalated = forms.BooleanField(label=_("Escalated after a low rating"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"), required=False, choices=[(k, v[1]) for k, v in SORTS.items()], widget=QuickSelect
    )

    def __init__(self, *args, staff: list[tuple[str, str]] | None = None, **kwargs) -> None:
        """`staff`: the (id, name) pairs of `staff_choices()` when the page has them already (the queue's bulk
        form shows the same list)."""
        super().__init__(*args, **kwargs)
        staff = staff_choices() if staff is None else staff
        self.fields["assignee"].choices = [("", _("Anyone")), ("me", _("Me")), ("none", _("Nobody yet")), *staff]
        # Listed with one plain query each: a model choice field reads its options through a server-side
        # cursor (three round trips). Validation still goes through the fields' querysets.
        categories = [(str(c.pk), c.label) for c in Category.objects.all()]
        areas = list(Area.objects.order_by("name").values_list("pk", "name"))
        self.fields["category"].choices = [("", self.fields["category"].empty_label), *categories]
        self.fields["area"].choices = [("", self.fields["area"].empty_label), *areas]

    def filters(self) -> QueueFilters:
        """What was asked for, as far as it is valid; nonsense in the query string shows the default queue."""
        data = self.cleaned_data if self.is_valid() else {}
        return QueueFilters(
            status=data.get("status") or "",
            category=data.get("category"),
            area=data.get("area"),
            assignee=data.get("assignee") or "",
            sla=data.get("sla") or "",
            escalated=bool(data.get("escalated")),
            sort=SORTS.get(data.get("sort") or "due", SORTS["due"])[0],
        )


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    assignee = StaffChoiceField(
        label=_("Assign to"), queryset=assignable_staff(), required=False, empty_label=_("Choose…")
    )
    duplicate_of = forms.CharField(label=_("Original ticket (for duplicates)"), max_length=40, required=False)
    reason = forms.CharField(
        label=_("Reason (for rejection, shown to the reporter)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    message = forms.CharField(
        label=_("Message to the reporter (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, allowed: list[str] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(s, Complaint.Status(s).label) for s in allowed]
        self.fields["assignee"].queryset = assignable_staff()

    def clean_duplicate_of(self) -> Complaint | None:
        raw = self.cleaned_data.get("duplicate_of", "")
        if not raw.strip():
            return None
        original = Complaint.objects.filter(ticket=normalise_ticket(raw)).first()
        if original is None:
            raise forms.ValidationError(_("There is no ticket with that number."))
        return original


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    public = forms.BooleanField(label=_("Show to the reporter and notify them"), required=False)


class BulkAssignForm(forms.Form):
    tickets = forms.ModelMultipleChoiceField(queryset=Complaint.objects.all(), to_field_name="ticket")
    assignee = StaffChoiceField(
        label=_("Assign to"), queryset=assignable_staff(), empty_label=_("Choose…"), widget=QuickSelect
    )

    def __init__(self, *args, staff: list[tuple[str, str]] | None = None, **kwargs) -> None:
        """`staff`: the options as `staff_choices()` gives them, when the page has listed them already."""
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_staff()
        if staff is not None:
            self.fields["assignee"].choices = [("", self.fields["assignee"].empty_label), *staff]


def staff_choices() -> list[tuple[str, str]]:
    """Who can take tickets, as (id, name) options: the queue's filter and its bulk form show the same list."""
    return [(str(u.pk), u.full_name or u.email) for u in assignable_staff().only("pk", "full_name", "email")]


class OutageForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Outage.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=150)
    description = forms.CharField(
        label=_("What customers should know"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"), queryset=Area.objects.order_by("level", "name"), widget=forms.CheckboxSelectMultiple
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    expected_end_at = forms.DateTimeField(
        label=_("Expected end"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("starts_at") and data.get("expected_end_at") and data["expected_end_at"] <= data["starts_at"]:
            self.add_error("expected_end_at", _("The expected end must be after the start."))
        return data

    def notice(self) -> NoticeData:
        data = self.cleaned_data
        return NoticeData(
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            areas=list(data["areas"]),
            starts_at=data["starts_at"],
            expected_end_at=data["expected_end_at"],
        )

    @classmethod
    def for_outage(cls, outage: Outage) -> "OutageForm":
        return cls(
            initial={
                "kind": outage.kind,
                "title": outage.title,
                "description": outage.description,
                "areas": list(outage.areas.all()),
                "starts_at": timezone.localtime(outage.starts_at),
                "expected_end_at": timezone.localtime(outage.expected_end_at),
            }
        )
