import pytest
from django.contrib.auth.models import Group

from accounts import roles

pytestmark = pytest.mark.django_db


def perms(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_every_role_group_exists():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)


def test_counter_staff_may_look_up_connections_but_not_edit_customers():
    assert "accounts.lookup_connection" in perms(roles.COUNTER)
    assert "accounts.change_customer" not in perms(roles.COUNTER)


def test_the_supervisor_holds_every_permission_of_every_role():
    everything = set().union(*(perms(role) for role in roles.ROLES if role != roles.SUPERVISOR))
    assert everything <= perms(roles.SUPERVISOR)
