"""Forms of the public side: filing a report, tracking it, commenting and rating."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.forms import clean_phone_value
from accounts.models import Area, ServiceConnection
from accounts.phones import display_phone
from accounts.services import connections_of
from complaints.models import Category
from complaints.photos import MAX_PHOTOS, process_photos
from complaints.services.filing import Report

# A generous box around Indonesia: a point outside it is a typo (swapped or unsigned coordinates).
LAT_RANGE = (Decimal("-12"), Decimal("7"))
LNG_RANGE = (Decimal("94"), Decimal("142"))


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultiplePhotoInput(attrs={"accept": "image/*"})

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        return [super(PhotosField, self).clean(f, initial) for f in files]


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} ({obj.parent.name})" if obj.parent_id else obj.name


def photos_cleaned(value: list, room: int = MAX_PHOTOS) -> list:
    return process_photos(value, room) if value else []


class ReportForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("What is the problem?"), queryset=Category.objects.filter(is_active=True), empty_label=_("Choose…")
    )
    description = forms.CharField(
        label=_("Describe it briefly"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: water gushing from the road in front of house no. 12 since this morning."),
    )
    connection = forms.ModelChoiceField(
        label=_("Which connection?"),
        queryset=None,
        required=False,
        empty_label=_("Somewhere else (I will give the address)"),
    )
    address = forms.CharField(label=_("Address or landmark"), max_length=255, required=False)
    area = AreaChoiceField(
        label=_("Village (kelurahan)"),
        queryset=Area.objects.filter(level=Area.Level.KELURAHAN).select_related("parent").order_by("name"),
        required=False,
        empty_label=_("Choose…"),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    reporter_name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    reporter_phone = forms.CharField(
        label=_("Mobile number"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
        help_text=_("We send your ticket number here. You need its last 4 digits to track the report."),
    )
    reporter_email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    photos = PhotosField(
        label=_("Photos (optional)"),
        required=False,
        help_text=_("Photos help the team find and fix the problem faster. Location data is removed from them."),
    )
    # Hidden from people by CSS; bots filling every field reveal themselves.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, user=None, for_connection: ServiceConnection | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        self.for_connection = for_connection
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
        self.fields["photos"].label = gettext("Photos (optional, up to %(count)d)") % {"count": MAX_PHOTOS}
        if for_connection is not None:
            self._at_the_counter(for_connection)
        elif self.user is not None:
            self.fields["connection"].queryset = connections_of(self.user).order_by("account_number")
            self.fields["reporter_name"].initial = self.user.full_name
            self.fields["reporter_phone"].initial = self.user.phone
            self.fields["reporter_phone"].required = False
            self.fields["reporter_phone"].help_text = _("Optional: we also send updates to your account.")
            self.fields["reporter_email"].initial = self.user.email
            if not self.fields["connection"].queryset.exists():
                del self.fields["connection"]
        else:
            del self.fields["connection"]

    def _at_the_counter(self, connection: ServiceConnection) -> None:
        """Staff file what the customer tells at the counter: the connection gives the place, the holder's
        details are the starting point, and updates need no mobile number (the customer may have none)."""
        for name in ("connection", "address", "area", "latitude", "longitude", "website"):
            del self.fields[name]
        fields = self.fields
        fields["description"].label, fields["description"].help_text = _("What the customer says"), ""
        fields["reporter_name"].label = _("Reported by")
        fields["reporter_phone"].label, fields["reporter_phone"].help_text = _("Mobile number for updates"), ""
        fields["reporter_phone"].required = False
        fields["reporter_email"].label = _("E-mail for updates")
        customer = connection.customer
        fields["reporter_name"].initial = customer.name
        fields["reporter_phone"].initial = display_phone(customer.phone)
        fields["reporter_email"].initial = customer.email

    def clean_reporter_phone(self) -> str:
        return clean_phone_value(self.cleaned_data.get("reporter_phone") or "") or ""

    def clean_photos(self) -> list:
        return photos_cleaned(self.cleaned_data.get("photos") or [])

    def clean(self) -> dict:
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("Your report could not be sent. Please try again."), code="honeypot")
        if not (data.get("connection") or self.for_connection):
            if not (data.get("address") or "").strip():
                self.add_error("address", _("Tell us where the problem is."))
            if not data.get("area"):
                self.add_error("area", _("Choose the village (kelurahan) where the problem is."))
        lat, lng = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lng is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        elif lat is not None and not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]):
            self.add_error(
                "latitude", _("This point is not in Indonesia. Check the numbers (for example -8.583, 116.116).")
            )
        return data

    def report(self) -> Report:
        data = self.cleaned_data
        return Report(
            category=data["category"],
            description=data["description"],
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            reporter_email=data.get("reporter_email") or "",
            connection=data.get("connection") or self.for_connection,
            address=(data.get("address") or "").strip(),
            area=data.get("area"),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
        )


class TrackForm(forms.Form):
    ticket = forms.CharField(
        label=_("Ticket number"),
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "ADU-2026-000123", "autocapitalize": "characters"}),
    )
    phone_last4 = forms.RegexField(
        label=_("Last 4 digits of your mobile number"),
        regex=r"^\s*\d{4}\s*$",
        error_messages={"invalid": _("Enter exactly 4 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4, "autocomplete": "off"}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Add information"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = PhotosField(label=_("Add a photo"), required=False)

    def __init__(self, *args, room: int = MAX_PHOTOS, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.room = room

    def clean_photos(self) -> list:
        return photos_cleaned(self.cleaned_data.get("photos") or [], self.room)

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not (data.get("text") or "").strip() and not data.get("photos"):
            raise forms.ValidationError(_("Write something or choose a photo."))
        return data


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How did we do?"),
        coerce=int,
        choices=[
            (5, _("5 – very good")),
            (4, _("4 – good")),
            (3, _("3 – fair")),
            (2, _("2 – poor")),
            (1, _("1 – very poor")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
