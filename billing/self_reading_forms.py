"""Forms of the self reading: the stand with its photo (signed in or with the holder's proof), the confirmation,
and the reviewer's rejection and field list."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Area
from accounts.photos import capture_time, clean_photo
from billing.forms import LookupForm


class StandForm(forms.Form):
    reading = forms.IntegerField(
        label=_("Meter stand (m³)"),
        min_value=0,
        max_value=99_999_999,
        help_text=_("The black digits on the meter, without the red ones."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    photo = forms.FileField(
        label=_("Photo of the meter"),
        help_text=_("The digits must be readable."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def clean_photo(self):
        upload = self.cleaned_data["photo"]
        cleaned = clean_photo(
            upload,
            max_bytes=settings.SELF_READING_PHOTO_MAX_BYTES,
            max_pixels=settings.SELF_READING_PHOTO_MAX_PIXELS,
        )
        self.cleaned_data["photo_taken_at"] = capture_time(upload)
        return cleaned


class PublicStandForm(LookupForm, StandForm):
    proof = forms.CharField(
        label=_("Meter number or the amount of your latest bill"),
        max_length=64,
        help_text=_("The same proof as for adding a connection to your account."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    field_order = ["account_number", "proof", "reading", "photo"]


class ConfirmForm(forms.Form):
    checked = forms.BooleanField(label=_("I looked at the photo again: the stand is right."), required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the customer"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class FieldListForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.order_by("name"))
