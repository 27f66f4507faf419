import datetime

import pytest
from django.core.management import call_command

from accounts.models import Notification
from billing.models import MeterReading
from billing.readings import is_high_usage, parse_csv, record_readings
from tests.factories.accounts import ConnectionLinkFactory, ServiceConnectionFactory
from tests.factories.billing import BillFactory, MeterReadingFactory

pytestmark = pytest.mark.django_db
JAN, FEB = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)
HEADER = "account_number,period,reading,read_on\n"


def import_csv(text: str):
    inputs, errors = parse_csv((HEADER + text).encode())
    result = record_readings(inputs)
    return result, sorted(errors + result.errors)


@pytest.fixture
def connection():
    connection = ServiceConnectionFactory(account_number="1000000001")
    MeterReadingFactory(connection=connection, period=JAN, previous_reading=85, reading=100)
    return connection


def test_usage_is_this_reading_minus_the_previous_one(connection):
    result, errors = import_csv("1000000001,2026-02,118,2026-02-03\n")
    reading = MeterReading.objects.get(connection=connection, period=FEB)
    assert (reading.previous_reading, reading.usage, reading.flagged) == (100, 18, False)
    assert (result.created, errors) == (1, [])


def test_a_reading_below_the_previous_one_is_flagged_not_given_a_usage(connection):
    result, _ = import_csv("1000000001,2026-02,90,2026-02-03\n")
    reading = MeterReading.objects.get(connection=connection, period=FEB)
    assert reading.flagged
    assert reading.usage is None
    assert "100" in reading.flag_reason
    assert result.flagged == 1


def test_every_bad_row_is_reported_with_its_line_number_and_the_good_rows_are_imported(connection):
    ServiceConnectionFactory(account_number="1000000002")
    _, errors = import_csv(
        "1000000001,2026-02,118,2026-02-03\n"
        "9999999999,2026-02,10,2026-02-03\n"
        "1000000002,Feb 2026,10,2026-02-03\n"
        "1000000002,2026-02,-5,2026-02-03\n"
        "1000000002,2026-02,10,03/02/2026\n"
        "1000000001,2026-02,119,2026-02-03\n"
    )
    assert [line for line, _ in errors] == [3, 4, 5, 6, 7]
    assert "9999999999" in errors[0][1]
    assert "baris 2" in errors[4][1]
    assert MeterReading.objects.get(connection=connection, period=FEB).reading == 118


def test_a_file_without_the_required_columns_is_refused_whole():
    inputs, errors = parse_csv(b"nomor,stand\n1000000001,10\n")
    assert inputs == []
    assert errors[0][0] == 1
    assert "account_number" in errors[0][1]


def test_a_file_that_is_not_text_is_refused():
    _, errors = parse_csv(b"\xff\xfe\x00garbage")
    assert errors


def test_re_importing_the_same_file_creates_no_duplicate(connection):
    import_csv("1000000001,2026-02,118,2026-02-03\n")
    result, _ = import_csv("1000000001,2026-02,118,2026-02-03\n")
    assert (result.created, result.unchanged) == (0, 1)
    assert MeterReading.objects.filter(connection=connection).count() == 2


def test_a_corrected_reading_replaces_the_old_one_until_the_period_is_billed(connection):
    import_csv("1000000001,2026-02,118,2026-02-03\n")
    result, _ = import_csv("1000000001,2026-02,120,2026-02-03\n")
    assert result.updated == 1
    assert MeterReading.objects.get(connection=connection, period=FEB).usage == 20
    BillFactory(connection=connection, period=FEB)
    _, errors = import_csv("1000000001,2026-02,125,2026-02-03\n")
    assert "sudah diterbitkan" in errors[0][1]
    assert MeterReading.objects.get(connection=connection, period=FEB).reading == 120


def test_high_usage_means_over_one_and_a_half_times_usual_and_ten_m3_more():
    assert is_high_usage(31, 20)
    assert not is_high_usage(30, 20)  # exactly 1.5×
    assert not is_high_usage(14, 5)  # 2.8× but only 9 m³ more
    assert not is_high_usage(100, None)  # nothing to compare with


def test_a_far_higher_reading_warns_the_linked_customer_once_per_period(connection):
    ConnectionLinkFactory(connection=connection, user__email="holder@example.test")
    result, _ = import_csv("1000000001,2026-02,145,2026-02-03\n")  # 45 m³ against usually 15
    assert result.warned == 1
    warning = Notification.objects.get(template="billing/high_usage")
    assert warning.to_address == "holder@example.test"
    import_csv("1000000001,2026-02,146,2026-02-03\n")
    assert Notification.objects.filter(template="billing/high_usage").count() == 1


def test_the_import_command_reports_bad_rows_and_a_summary(connection, tmp_path, capsys):
    file = tmp_path / "feb.csv"
    file.write_text(HEADER + "1000000001,2026-02,118,2026-02-03\n123,2026-02,1,2026-02-03\n")
    call_command("import_readings", str(file))
    captured = capsys.readouterr()
    assert "line 3:" in captured.err
    assert "Imported 1 readings" in captured.out


# --- corrections and the month after ---------------------------------------------------------------------

MAR = datetime.date(2026, 3, 1)


def reading_of(connection, period):
    return MeterReading.objects.get(connection=connection, period=period)


def test_correcting_a_reading_recomputes_the_unbilled_following_month(connection):
    import_csv("1000000001,2026-02,118,2026-02-03\n")
    result, errors = import_csv("1000000001,2026-01,105,2026-01-03\n")
    february = reading_of(connection, FEB)
    assert (february.previous_reading, february.usage, february.flagged) == (105, 13, False)
    assert reading_of(connection, JAN).reading == 105
    assert (result.updated, result.recomputed, errors) == (1, 1, [])


def test_a_correction_can_clear_the_following_months_flag(connection):
    import_csv("1000000001,2026-02,95,2026-02-03\n")
    assert reading_of(connection, FEB).flagged
    import_csv("1000000001,2026-01,90,2026-01-03\n")
    february = reading_of(connection, FEB)
    assert (february.usage, february.flagged, february.flag_reason) == (5, False, "")


def test_a_late_reading_for_a_missing_month_recomputes_the_month_after(connection):
    MeterReadingFactory(connection=connection, period=MAR, previous_reading=100, reading=130, usage=30)
    result, _ = import_csv("1000000001,2026-02,115,2026-02-03\n")
    march = reading_of(connection, MAR)
    assert (march.previous_reading, march.usage) == (115, 15)
    assert (result.created, result.recomputed) == (1, 1)


def test_a_correction_under_a_billed_following_month_is_flagged_and_the_bill_stays(connection):
    import_csv("1000000001,2026-02,118,2026-02-03\n")
    bill = BillFactory(connection=connection, period=FEB, usage=18, total=90000)
    result, errors = import_csv("1000000001,2026-01,105,2026-01-03\n")
    january, february = reading_of(connection, JAN), reading_of(connection, FEB)
    assert (january.reading, january.flagged, january.usage) == (105, True, None)
    assert "2026-02" in january.flag_reason
    assert (february.previous_reading, february.usage, february.flagged) == (100, 18, False)
    bill.refresh_from_db()
    assert (bill.usage, bill.total) == (18, 90000)
    assert (result.updated, result.flagged, result.recomputed, errors) == (1, 1, 0, [])


def test_re_importing_a_correction_changes_nothing_more(connection):
    import_csv("1000000001,2026-02,118,2026-02-03\n")
    import_csv("1000000001,2026-01,105,2026-01-03\n")
    result, _ = import_csv("1000000001,2026-01,105,2026-01-03\n")
    assert (result.unchanged, result.recomputed) == (1, 0)
    assert reading_of(connection, FEB).usage == 13


def test_the_import_page_counts_the_recomputed_months(client, billing_user, connection):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import TestCase
    from django.urls import reverse

    import_csv("1000000001,2026-02,118,2026-02-03\n")
    client.force_login(billing_user)
    upload = SimpleUploadedFile("jan.csv", (HEADER + "1000000001,2026-01,105,2026-01-03\n").encode(), "text/csv")
    with TestCase.captureOnCommitCallbacks(execute=True):  # the import task runs once the upload commits
        response = client.post(reverse("billing:import-readings"), {"file": upload})
    body = client.get(response["Location"]).content.decode()
    assert "1 pemakaian bulan berikutnya dihitung ulang" in body
