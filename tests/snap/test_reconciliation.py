"""A partner's settlement file against Tirta's payments of the same business date, cut at the partner's cut-off."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.partners.models import Partner
from billing.partners.snap import reconcile
from billing.partners.snap.va import business_date
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import open_bills_of
from tests.factories.snap import payment_body

HEADER = "business_date,payment_request_id,customer_no,amount\n"


def _pay(bank, total: int, request_id: str) -> str:
    connection = ServiceConnectionFactory()
    open_bills_of(connection, total)
    bank.call("payment", payment_body(connection.account_number, f"{total}.00", request_id))
    return connection.account_number


@pytest.fixture
def day(bank):
    return timezone.localdate()


def test_a_file_matching_tirtas_payments_is_balanced(bank, bank_partner, day):
    first = _pay(bank, 40000, "P-1")
    second = _pay(bank, 55000, "P-2")
    file = HEADER + f"{day},P-1,{first},40000.00\n{day},P-2,{second},55000.00\n"

    result = reconcile.reconcile(bank_partner[0], *reconcile.read_settlement_file(file))

    assert result.balanced
    assert [line.payment_request_id for line in result.matched] == ["P-1", "P-2"]


def test_reconciliation_lists_what_is_missing_on_either_side_and_amounts_that_differ(bank, bank_partner, day):
    first = _pay(bank, 40000, "P-1")
    _pay(bank, 55000, "P-2")
    file = HEADER + f"{day},P-1,{first},41000.00\n{day},P-9,1000000099,10000.00\n"

    result = reconcile.reconcile(bank_partner[0], *reconcile.read_settlement_file(file))

    assert [line.payment_request_id for line in result.missing_in_tirta] == ["P-9"]
    assert [line.payment_request_id for line in result.missing_in_file] == ["P-2"]
    assert [(mine.amount, theirs.amount) for mine, theirs in result.amount_differences] == [(40000, 41000)]


def test_a_payment_after_the_cut_off_belongs_to_the_next_business_date(bank_partner):
    partner = bank_partner[0]
    Partner.objects.filter(pk=partner.pk).update(settlement_cutoff=datetime.time(22, 0))
    partner.refresh_from_db()
    zone = timezone.get_current_timezone()

    before = datetime.datetime(2026, 12, 1, 21, 59, tzinfo=zone)
    after = datetime.datetime(2026, 12, 1, 22, 0, tzinfo=zone)

    assert business_date(partner, before) == datetime.date(2026, 12, 1)
    assert business_date(partner, after) == datetime.date(2026, 12, 2)


def test_a_file_with_a_wrong_header_is_refused_with_the_expected_columns():
    with pytest.raises(reconcile.SettlementFileError, match="business_date,payment_request_id"):
        reconcile.read_settlement_file("date,id,amount\n")


def test_a_file_spanning_two_dates_is_refused():
    with pytest.raises(reconcile.SettlementFileError):
        reconcile.read_settlement_file(HEADER + "2026-12-01,A,1,100\n2026-12-02,B,2,100\n")


def test_the_command_prints_the_differences_and_fails(bank, bank_partner, day, tmp_path, capsys):
    _pay(bank, 40000, "P-1")
    file = tmp_path / "settlement.csv"
    file.write_text(HEADER + f"{day},P-7,1000000077,10000.00\n")

    with pytest.raises(SystemExit):
        call_command("reconcile_partner", bank_partner[0].partner_id, str(file))

    output = capsys.readouterr().out
    assert "missing in Tirta: P-7" in output
    assert "missing in the file: P-1" in output
