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


def _ids(raw: str) -> list[int]:
    try:
        return [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise forms.ValidationError(_("The bills on the screen are out of date; open the account again.")) from None


class CashForm(forms.Form):
    """What the cashier saw and took: the bills and total on screen, and the cash handed over.

    Bills on hold (questioned by the customer) are on screen apart, with their own total, and join the payment
    only when the cashier ticks that the customer wants to pay them too.
    """

    bill_ids = forms.CharField(widget=forms.HiddenInput, required=False)
    expected_total = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    held_ids = forms.CharField(widget=forms.HiddenInput, required=False)
    held_total = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    include_held = forms.BooleanField(
        label=_("The customer also pays the bills being checked"),
        required=False,
        help_text=_("Their question stays open: billing staff still answer it."),
    )
    tendered = forms.IntegerField(
        label=_("Cash tendered (Rp)"),
        min_value=1,
        max_value=1_000_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_bill_ids(self) -> list[int]:
        return _ids(self.cleaned_data["bill_ids"])

    def clean_held_ids(self) -> list[int]:
        return _ids(self.cleaned_data["held_ids"])

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        if data.get("include_held"):
            data["bill_ids"] = data["bill_ids"] + data["held_ids"]
            data["expected_total"] += data.get("held_total") or 0
        if not data["bill_ids"] or data["expected_total"] < 1:
            raise forms.ValidationError(_("There is nothing to pay on this connection."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit log with your name and the time."),
    )


class ReportForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
