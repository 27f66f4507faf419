from django import forms
from django.utils.translation import gettext_lazy as _

from billing.forms import LookupForm


class PublicPayForm(LookupForm):
    """Paying from the public lookup: the account number and where to send the receipt."""

    email = forms.EmailField(
        label=_("E-mail for the receipt"),
        required=False,
        help_text=_("Optional. We send the receipt there as a PDF."),
    )


class CashForm(forms.Form):
    """What the cashier saw and took: the bills and total on screen, and the cash handed over."""

    bill_ids = forms.CharField(widget=forms.HiddenInput)
    expected_total = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    tendered = forms.IntegerField(
        label=_("Cash tendered (Rp)"),
        min_value=1,
        max_value=1_000_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_bill_ids(self) -> list[int]:
        raw = self.cleaned_data["bill_ids"]
        try:
            ids = [int(part) for part in raw.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("The bills on the screen are out of date; open the account again.")) from None
        if not ids:
            raise forms.ValidationError(_("There is nothing to pay on this connection."))
        return ids


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit log with your name and the time."),
    )


class ReportForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
