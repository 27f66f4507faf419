"""Who holds which staff-workspace permission, as granted in AccountsConfig.ready()."""

import pytest

from accounts import roles
from tests.accounts.test_roles import perms

pytestmark = pytest.mark.django_db


def test_counter_staff_look_up_accounts_update_contacts_and_write_notes():
    assert {"accounts.lookup_connection", "accounts.update_contact", "accounts.add_staffnote"} <= perms(roles.COUNTER)


def test_only_supervisors_search_the_audit_log_and_export_csv():
    for role in (roles.COUNTER, roles.COMPLAINTS, roles.FIELD, roles.BILLING):
        assert not {"accounts.search_audit", "accounts.export_csv"} & perms(role)
    assert {"accounts.search_audit", "accounts.export_csv"} <= perms(roles.SUPERVISOR)


def test_field_staff_do_not_look_up_accounts():
    assert "accounts.lookup_connection" not in perms(roles.FIELD)
