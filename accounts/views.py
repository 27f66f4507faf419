from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import limits, recipients, registration, services
from accounts.forms import (
    LinkConnectionForm,
    OutboxPasswordResetForm,
    ProfileForm,
    RegistrationForm,
    SignInForm,
)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    if request.method == "POST" and limits.registration_limited(request):
        return render(request, "errors/429.html", status=429)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.register()
        return redirect("accounts:register-sent")
    return render(request, "accounts/register.html", {"form": form})


def register_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/register_sent.html")


def register_activate(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = registration.activate(uidb64, token)
    if user is None:
        return render(request, "accounts/register_link_invalid.html", status=400)
    login(request, user, backend="accounts.backends.EmailOrPhoneBackend")
    messages.success(request, _("Welcome! Your account is ready. Add your water connection to see your bills."))
    return redirect("accounts:link")


@login_required
def link_connection(request: HttpRequest) -> HttpResponse:
    form = LinkConnectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            connection = services.link_connection(
                request.user, form.cleaned_data["account_number"], form.cleaned_data["answer"]
            )
        except services.LinkLocked as locked:
            form.add_error(
                None,
                _("Too many wrong tries for this account number. Please try again in %(minutes)d minutes.")
                % {"minutes": locked.minutes},
            )
        except services.LinkRefused:
            form.add_error(
                None,
                _(
                    "We could not match that account number with that answer. Check both against your bill and "
                    "your meter and try again."
                ),
            )
        else:
            messages.success(
                request, _("Connection %(number)s is now in your account.") % {"number": connection.account_number}
            )
            return redirect("portal:dashboard")
    return render(request, "accounts/link.html", {"form": form})


@login_required
@require_POST
def unlink_connection(request: HttpRequest, connection_id: int) -> HttpResponse:
    services.unlink_connection(request.user, connection_id)
    messages.success(request, _("The connection was removed from your account."))
    return redirect("portal:dashboard")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        response = redirect("accounts:profile")
        response.set_cookie("django_language", form.instance.language, samesite="Lax")
        return response
    return render(request, "accounts/profile.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = OutboxPasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-done")

    def post(self, request, *args, **kwargs):
        if limits.password_reset_client_limited(request):
            return render(request, "errors/429.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if limits.password_reset_target_limited(self.request, form.cleaned_data["email"]):
            # The same answer as a sent link, so the limit tells nobody whether the address has an account.
            return redirect(self.success_url)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """A customer of record stops our messages from the signed link in one of them (no sign-in: they have none)."""
    customer = recipients.customer_for_opt_out(token)
    if customer is None:
        raise Http404
    if request.method == "POST":
        recipients.opt_out(customer)
        customer.refresh_from_db(fields=["messages_opted_out_at"])
    return render(request, "accounts/opt_out.html", {"customer": customer})
