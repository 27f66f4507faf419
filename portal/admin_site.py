"""The admin site, behind the same second factor as the staff pages (it shows every customer's data)."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from accounts import second_factor
from accounts.permissions import second_factor_redirect


class TirtaAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and second_factor.satisfied(request.user)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        # Signed in with a password but not yet with the code: the admin's own login form cannot ask for it.
        user = request.user
        if user.is_authenticated and user.is_staff and not self.has_permission(request):
            return second_factor_redirect(request)
        return super().login(request, extra_context)
