from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.partners.models import Partner


class SettlementDayForm(forms.Form):
    """A partner and a business date; with a settlement file, to compare it."""

    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.exclude(company_code=""))
    business_date = forms.DateField(
        label=_("Business date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    settlement_file = forms.FileField(
        label=_("The partner's settlement file (CSV)"),
        required=False,
        help_text=_("Columns: business_date, payment_request_id, customer_no, amount."),
    )
