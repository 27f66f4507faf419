import pytest
from django.contrib.auth.models import Group, Permission

from accounts import roles
from accounts.models import User
from tests.factories.accounts import StaffFactory

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


def test_a_person_holds_their_own_and_their_roles_permissions_read_in_one_query(django_assert_num_queries):
    staff = StaffFactory(role=roles.COUNTER)
    staff.user_permissions.add(Permission.objects.get(codename="view_cash_report"))
    fresh = User.objects.get(pk=staff.pk)
    with django_assert_num_queries(1):
        assert fresh.has_perm("billing.view_cash_report")
        assert fresh.has_perm("accounts.lookup_connection")
        assert not fresh.has_perm("accounts.change_customer")


def test_an_inactive_person_holds_no_permission():
    staff = StaffFactory(role=roles.SUPERVISOR, is_active=False)
    assert not User.objects.get(pk=staff.pk).has_perm("accounts.lookup_connection")
