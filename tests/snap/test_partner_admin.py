"""Registering SNAP partners: the command and the admin, each audited, each showing the client secret once."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEntry
from accounts.partners.models import Partner
from accounts.partners.services import client_secret_of
from tests.factories.snap import bank_key, public_pem


@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / "bank.pem"
    path.write_text(public_pem(bank_key()))
    return path


def test_the_command_registers_a_partner_and_prints_its_secret_once(db, key_file, capsys):
    call_command(
        "snap_partner", "add", "Bank Contoh", "--partner-id", "BANK01", "--public-key", str(key_file),
        "--company-code", "12345", "--bank", "Contoh", "--channel", "6021", "--cutoff", "22:00",
    )  # fmt: skip

    partner = Partner.objects.get(partner_id="BANK01")
    assert (partner.bank_name, partner.channel_ids, f"{partner.settlement_cutoff:%H:%M}") == (
        "Contoh",
        ["6021"],
        "22:00",
    )
    assert client_secret_of(partner) in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="partner.register").count() == 1


def test_the_command_refuses_a_file_that_is_not_a_public_key(db, tmp_path):
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")

    with pytest.raises(CommandError):
        call_command("snap_partner", "add", "X", "--partner-id", "X1", "--public-key", str(bad), "--company-code", "1")
    assert not Partner.objects.exists()


def test_the_command_rotates_and_deactivates(bank_partner, capsys):
    partner, old_secret = bank_partner

    call_command("snap_partner", "rotate", partner.partner_id)
    call_command("snap_partner", "deactivate", partner.partner_id)

    partner.refresh_from_db()
    assert client_secret_of(partner) != old_secret
    assert client_secret_of(partner) in capsys.readouterr().out
    assert not partner.active


def test_a_supervisor_registers_a_partner_in_the_admin_and_sees_the_secret_once(supervisor, key_file):
    staff = Client()
    staff.force_login(supervisor)
    form = {
        "name": "Bank Admin", "partner_id": "BANKADM", "company_code": "777", "bank_name": "Admin",
        "public_key_pem": key_file.read_text(), "channel_ids": '["6021"]', "settlement_cutoff": "00:00",
        "active": "on",
    }  # fmt: skip

    response = staff.post(reverse("admin:accounts_partner_add"), form)

    partner = Partner.objects.get(partner_id="BANKADM")
    assert client_secret_of(partner) in response.content.decode()
    assert AuditEntry.objects.filter(action="partner.register", actor=supervisor).count() == 1
    change_page = staff.get(reverse("admin:accounts_partner_change", args=[partner.pk])).content.decode()
    assert client_secret_of(partner) not in change_page
    assert partner.client_secret_encrypted not in change_page


def test_cashiers_cannot_open_the_partners_admin(counter_user):
    staff = Client()
    staff.force_login(counter_user)

    response = staff.get(reverse("admin:accounts_partner_changelist"))

    assert response.status_code in (302, 403)
    assert "partner_id" not in response.content.decode()


def test_rotating_in_the_admin_shows_the_new_secret_once_and_the_old_one_stops(bank_partner, supervisor):
    partner, old_secret = bank_partner
    staff = Client()
    staff.force_login(supervisor)

    response = staff.post(
        reverse("admin:accounts_partner_changelist"),
        {"action": "rotate_client_secret", "_selected_action": [partner.pk]},
    )

    partner.refresh_from_db()
    assert client_secret_of(partner) != old_secret
    assert client_secret_of(partner) in response.content.decode()
    assert AuditEntry.objects.filter(action="partner.rotate_client_secret", actor=supervisor).count() == 1


def test_a_supervisor_reads_the_stored_exchanges_without_tokens(bank, supervisor):
    staff = Client()
    staff.force_login(supervisor)

    page = staff.get(reverse("admin:billing_snapexchange_changelist")).content.decode()

    assert "2007300" in page
    assert bank.access_token not in page
