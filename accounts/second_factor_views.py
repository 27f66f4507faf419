"""Staff pages of the second factor: set up an authenticator app, then type its code at each sign-in."""

from base64 import b32encode

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("6-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": gettext_lazy("Type the 6 digits your authenticator app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("portal:staff-home")


def _only_staff_who_need_it(request: HttpRequest) -> None:
    if not second_factor.needs_second_factor(request.user):
        raise Http404


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Show a new authenticator's QR code and secret; a correct code from the app confirms it."""
    _only_staff_who_need_it(request)
    if second_factor.has_confirmed_device(request.user):
        return redirect(f"{reverse('accounts:second-factor')}?{urlencode({'next': _next_url(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.confirm_device(request, form.cleaned_data["code"].strip()):
            return redirect(_next_url(request))
        form.add_error("code", _("That code is not right. Check the time on your phone and type the newest code."))
    device = second_factor.pending_device(request.user)
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code for your authenticator app"))
    context = {"form": form, "qr": mark_safe(qr), "secret": _grouped_secret(device), "next": _next_url(request)}
    return render(request, "accounts/second_factor_setup.html", context)


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    _only_staff_who_need_it(request)
    if not second_factor.has_confirmed_device(request.user):
        return redirect(f"{reverse('accounts:second-factor-setup')}?{urlencode({'next': _next_url(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.verify(request, form.cleaned_data["code"].strip()):
            return redirect(_next_url(request))
        form.add_error("code", _("That code is not right, or was used already. Wait for the next code and try again."))
    return render(request, "accounts/second_factor_verify.html", {"form": form, "next": _next_url(request)})


def _grouped_secret(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app when the camera cannot scan."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
