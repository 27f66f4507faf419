from dataclasses import replace

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordMixin
from django.utils.translation import gettext_lazy as _

from accounts import outbox, preferences, registration
from accounts.models import Notification, User
from accounts.outbox import Recipient
from accounts.phones import InvalidPhoneNumber, display_phone, normalise_phone
from accounts.recipients import CHOOSABLE_KINDS, absolute_url, chosen_channels, dedupe_key


def clean_phone_value(raw: str) -> str | None:
    if not raw.strip():
        return None
    try:
        return normalise_phone(raw)
    except InvalidPhoneNumber:
        raise forms.ValidationError(
            _("Enter an Indonesian mobile number, for example 0812 3456 7890."), code="invalid_phone"
        ) from None


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("E-mail or mobile number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("That e-mail or mobile number and password do not match. Please try again."),
        "inactive": _("This account is not active. Please contact customer service."),
    }


class RegistrationForm(SetPasswordMixin, forms.ModelForm):
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Choose a password"), label2=_("Repeat the password")
    )

    class Meta:
        model = User
        fields = ["full_name", "email", "phone"]
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
        }
        help_texts = {"phone": _("Optional. You can then sign in with it and get SMS or WhatsApp messages.")}

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self) -> str | None:
        return clean_phone_value(self.cleaned_data.get("phone") or "")

    def _get_validation_exclusions(self) -> set[str]:
        """Taken addresses are not form errors: saying so would tell anyone who has an account here
        (accounts.registration answers the same way and tells the owner instead)."""
        return super()._get_validation_exclusions() | {"email", "phone"}

    def clean(self):
        self.validate_passwords()
        cleaned = super().clean()
        self.validate_password_for_user(self.instance)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        self.instance.email = self.cleaned_data.get("email", self.instance.email)

    def register(self) -> None:
        data = self.cleaned_data
        registration.register(data["full_name"], data["email"], data["phone"], data["password1"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "language", "notify_email", "notify_sms", "notify_whatsapp"]
        widgets = {"phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["phone"] = display_phone(self.instance.phone or "")
        for kind in CHOOSABLE_KINDS:
            self.fields[f"channels_{kind}"] = forms.MultipleChoiceField(
                label=kind.label,
                choices=Notification.Channel.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text=_("None ticked: your usual channels above."),
            )
            if str(kind) in self.instance.channel_preferences:
                self.initial[f"channels_{kind}"] = chosen_channels(self.instance, kind)
        self.fields["notify_whatsapp"].help_text = _(
            "By choosing WhatsApp anywhere on this page you agree to receive our messages on WhatsApp at this number."
        )

    def clean_phone(self) -> str | None:
        phone = clean_phone_value(self.cleaned_data.get("phone") or "")
        if phone and User.objects.filter(phone=phone).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This mobile number is used by another account already."))
        return phone

    def clean(self):
        cleaned = super().clean()
        chosen = [channel for kind in CHOOSABLE_KINDS for channel in cleaned.get(f"channels_{kind}", [])]
        wants_text = cleaned.get("notify_sms") or cleaned.get("notify_whatsapp") or set(chosen) - {"email"}
        if wants_text and not cleaned.get("phone"):
            self.add_error("phone", _("Add your mobile number to receive SMS or WhatsApp messages."))
        if not any(cleaned.get(name) for name in ("notify_email", "notify_sms", "notify_whatsapp")):
            raise forms.ValidationError(_("Choose at least one way for us to reach you."))
        return cleaned

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=commit)
        if commit:
            per_kind = {kind: self.cleaned_data.get(f"channels_{kind}", []) for kind in CHOOSABLE_KINDS}
            preferences.save_channel_choices(user, per_kind, via="profile")
        return user


class LinkConnectionForm(forms.Form):
    account_number = forms.CharField(
        label=_("Account number"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Printed at the top of your water bill."),
    )
    answer = forms.CharField(
        label=_("Meter serial number"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("The number stamped on your water meter."),
    )


class OutboxPasswordResetForm(PasswordResetForm):
    """Sends the reset link through the outbox like every other message, e-mail only."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        user = context["user"]
        recipient = replace(Recipient.for_user(user), channels=(Notification.Channel.EMAIL,))
        outbox.notify(
            recipient,
            "accounts/password_reset",
            {"reset_url": absolute_url("accounts:password-reset-confirm", context["uid"], context["token"])},
            dedupe_key=dedupe_key("password-reset", context["uid"], context["token"]),
        )
