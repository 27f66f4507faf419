"""Access rules for staff pages: customers get a 404, not a hint that the page exists; staff lacking the
role for an action get a 403 that says so; staff whose role needs a second factor prove it first."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts import second_factor


def staff_required(view: Callable[..., HttpResponse] | None = None, *, perm: str | None = None):
    """Only signed-in staff (and, with `perm`, only those holding it); anonymous users go to sign in."""

    def decorator(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(func)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_staff:
                raise Http404
            if not second_factor.satisfied(user):
                return second_factor_redirect(request)
            if perm and not user.has_perm(perm):
                raise PermissionDenied
            return func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view else decorator


def second_factor_redirect(request: HttpRequest) -> HttpResponse:
    """To the code prompt, or to set up an authenticator for someone who has none; back here afterwards."""
    has_device = second_factor.has_confirmed_device(request.user)
    step = "accounts:second-factor" if has_device else "accounts:second-factor-setup"
    return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
