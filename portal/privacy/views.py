"""The customer's "my data" page: download everything we hold, or close the portal account."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from accounts import audit
from portal.privacy import closing, export


class CloseAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password, to confirm"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _customers_only(request: HttpRequest) -> None:
    # Staff accounts are managed by an administrator; their data is the utility's, not a customer export.
    if request.user.is_staff:
        raise Http404


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    _customers_only(request)
    return render(request, "portal/my_data.html", {"form": CloseAccountForm()})


@login_required
@require_GET
def download(request: HttpRequest) -> HttpResponse:
    _customers_only(request)
    data = export.personal_data(request.user)
    audit.record(request.user, "account.export", request.user, summary="Personal data downloaded by its holder")
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{export.export_filename(request.user)}"'
    return response


@login_required
@ratelimit(key="user", rate="5/h", method="POST", block=False)
def close(request: HttpRequest) -> HttpResponse:
    _customers_only(request)
    form = CloseAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if getattr(request, "limited", False):
            form.add_error(None, _("Too many tries. Please wait an hour and try again."))
        else:
            try:
                closing.close_account(request.user, form.cleaned_data["password"])
            except closing.WrongPassword:
                form.add_error("password", _("That is not your password. Your account is still open."))
            else:
                logout(request)
                messages.success(
                    request,
                    _("Your portal account is closed. Your bills and payments stay on record with the utility."),
                )
                return redirect("portal:home")
    return render(request, "portal/my_data.html", {"form": form})
