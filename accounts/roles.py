"""Staff roles are Django groups. Each app declares which of its permissions each role gets; the groups
themselves are created by a data migration and their permissions synchronised after every migrate."""

from django.contrib.auth.models import Group, Permission

COUNTER = "counter"
COMPLAINTS = "complaints"
FIELD = "field"
BILLING = "billing"
SUPERVISOR = "supervisor"
ROLES = (COUNTER, COMPLAINTS, FIELD, BILLING, SUPERVISOR)

# role → {"app_label.codename", …}; the supervisor gets every permission any role has.
_role_permissions: dict[str, set[str]] = {role: set() for role in ROLES}


def grant(role: str, *permissions: str) -> None:
    """Declare that `role` holds these permissions ("app_label.codename"); call from an AppConfig.ready()."""
    _role_permissions[role].update(permissions)


def role_permissions() -> dict[str, set[str]]:
    everything = set().union(*_role_permissions.values())
    return {**_role_permissions, SUPERVISOR: everything | _role_permissions[SUPERVISOR]}


def sync_role_permissions(**kwargs) -> None:
    """post_migrate handler: give each role group exactly its declared permissions."""
    wanted = role_permissions()
    all_codes = set().union(*wanted.values())
    known = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in={code.split(".", 1)[1] for code in all_codes}
        )
    }
    for role, codes in wanted.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([known[code] for code in codes if code in known])
