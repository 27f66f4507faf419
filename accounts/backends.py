"""Sign-in with an e-mail address or a mobile number in any common Indonesian format."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.http import HttpRequest

from accounts.models import User
from accounts.phones import InvalidPhoneNumber, normalise_phone


def normalise_identifier(identifier: str) -> str:
    """The canonical form of what a person typed in the login box: a lower-case e-mail or an E.164 number."""
    identifier = (identifier or "").strip()
    if "@" in identifier:
        return identifier.lower()
    try:
        return normalise_phone(identifier)
    except InvalidPhoneNumber:
        return identifier.lower()


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """Lockout counts failures per canonical identifier, so `0812…` and `+62812…` are one account."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return normalise_identifier(raw)


class EmailOrPhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        identifier = normalise_identifier(username)
        field = "email__iexact" if "@" in identifier else "phone"
        user = User.objects.filter(**{field: identifier}).first()
        if user is None:
            User().set_password(password)  # spend the same time as a real check: no hint that nobody matched
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        """ModelBackend's answer in one query instead of two (the person's own and their groups' permissions):
        every staff page asks once per request."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                own = user_obj.user_permissions.through.objects.filter(user_id=user_obj.pk)
                grouped = Group.permissions.through.objects.filter(group__user=user_obj)
                permissions = permissions.filter(
                    Q(pk__in=own.values("permission_id")) | Q(pk__in=grouped.values("permission_id"))
                )
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list("content_type__app_label", "codename").order_by()
            }
        return user_obj._perm_cache
