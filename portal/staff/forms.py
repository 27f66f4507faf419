from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import clean_phone_value
from accounts.models import StaffNote
from accounts.search import MAX_LENGTH, MAX_PAGE


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a connection"),
        max_length=MAX_LENGTH * 2,
        required=False,
        help_text=_("Account number, meter number, name, address or mobile number."),
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "autofocus": True, "spellcheck": "false"}
        ),
    )
    # Only the "next page" links carry it; typing starts again at the first page.
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput)


class ContactForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("E-mail address"), required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)

    def clean_phone(self) -> str:
        return clean_phone_value(self.cleaned_data["phone"]) or ""


class NoteForm(forms.ModelForm):
    class Meta:
        model = StaffNote
        fields = ["text"]
        labels = {"text": _("New note")}
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}
        error_messages = {"text": {"required": _("Write something in the note.")}}


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Staff member (name or e-mail)"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=64)
    account = forms.CharField(label=_("Account number"), required=False, max_length=12)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."), code="dates_reversed")
        return cleaned
