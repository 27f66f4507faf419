from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import CustomerClass, ServiceConnection
from accounts.services import normalise_account_number


class LookupForm(forms.Form):
    account_number = forms.CharField(
        label=_("Account number"),
        max_length=32,
        help_text=_("Printed on your bill and on the meter card, e.g. 1000012345."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_account_number(self) -> str:
        number = normalise_account_number(self.cleaned_data["account_number"])
        if not 6 <= len(number) <= 12:
            raise forms.ValidationError(_("An account number has 6 to 12 digits."))
        return number


class EstimateForm(forms.Form):
    customer_class = forms.ModelChoiceField(
        label=_("Customer class"), queryset=CustomerClass.objects.filter(tariffs__isnull=False).distinct()
    )
    meter_size = forms.ChoiceField(
        label=_("Meter size"),
        choices=ServiceConnection.MeterSize.choices,
        initial=ServiceConnection.MeterSize.HALF_INCH,
    )
    usage = forms.IntegerField(
        label=_("Water used in a month (m³)"),
        min_value=0,
        max_value=100000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class UsageAlertsForm(forms.Form):
    block = forms.BooleanField(label=_("When a reading reaches a dearer price block"), required=False)
    leak = forms.BooleanField(label=_("When a reading is far above my usual usage (a possible leak)"), required=False)


class ReadingsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Readings file (CSV)"),
        help_text=_("Columns: account_number, period (YYYY-MM), reading (m³), read_on (YYYY-MM-DD), optional source."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB; split it by area."))
        return upload


class ConfirmBillForm(forms.Form):
    explanation = forms.CharField(
        label=_("Explanation for the customer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why the bill is right; the customer reads this on the ticket."),
    )


class CorrectReadingForm(forms.Form):
    reading = forms.IntegerField(
        label=_("Corrected meter reading (m³)"),
        min_value=0,
        max_value=99_999_999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    explanation = forms.CharField(
        label=_("Explanation for the customer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was wrong; the customer reads this on the ticket."),
    )


class RefundCreditForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Amount refunded (Rp)"), min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    note = forms.CharField(
        label=_("How it was refunded"), max_length=200, help_text=_("e.g. bank transfer to the holder, reference")
    )
