"""Answering a questioned bill: confirmed, or corrected (void and replaced), with the money exact to the Rupiah."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuditEntry
from billing import credit
from billing.billrun import run_bill_run
from billing.corrections import CorrectionError, confirm_bill, correct_reading, preview
from billing.models import Bill, BillDispute, BillLine, MeterReading, ReadingCorrection
from billing.payments import services
from billing.payments.models import CreditEntry, Payment, PaymentBill, Receipt
from billing.services import latest_bill
from billing.signals import bill_dispute_resolved
from tests.factories.billing import MeterReadingFactory
from tests.factories.corrections import FEBRUARY, JANUARY, billed_connection, questioned

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def assert_money_exact(connection) -> None:
    terms = credit.money_accounts(connection)
    assert terms["received"] == terms["allocated"] + terms["balance"] + terms["refunds"], terms
    assert credit.balance_of(connection) == terms["balance"]


def pay_cash(bill: Bill, cashier) -> Payment:
    return services.take_cash(
        bill.connection, cashier=cashier, bill_ids=[bill.pk], expected_total=bill.total, tendered=bill.total
    )


def test_correcting_a_paid_bill_downwards_voids_it_and_credits_the_excess_exactly(billing_user, counter_user):
    bill = billed_connection(usage=25)
    assert bill.total == 90000
    payment = pay_cash(bill, counter_user)
    dispute = questioned(Bill.objects.get(pk=bill.pk))

    replacement = correct_reading(dispute.pk, 100, "Stand meter salah baca: 100, bukan 110.", billing_user)

    bill.refresh_from_db()
    assert (bill.status, bill.replaced_by) == (Bill.Status.VOID, replacement)
    assert bill.voided_at is not None
    assert (replacement.period, replacement.usage, replacement.current_reading) == (JANUARY, 15, 100)
    assert replacement.status == Bill.Status.PAID
    assert replacement.total == 0
    lines = list(replacement.lines.values_list("kind", "amount"))
    assert lines[-1] == (BillLine.Kind.CREDIT, -50000)
    assert sum(amount for _, amount in lines) == 0
    assert credit.balance_of(bill.connection) == 40000
    assert_money_exact(bill.connection)
    # The payment and its receipt are as they were: 90.000 against the January bill now replaced.
    assert list(PaymentBill.objects.filter(payment=payment).values_list("bill_id", "amount", "settled")) == [
        (bill.pk, 90000, True)
    ]
    assert Receipt.objects.count() == 1
    assert not Receipt.objects.get().void


def test_correcting_upwards_leaves_the_difference_to_pay(billing_user, counter_user):
    bill = billed_connection(usage=15)
    pay_cash(bill, counter_user)
    dispute = questioned(Bill.objects.get(pk=bill.pk))

    replacement = correct_reading(dispute.pk, 110, "Stand 110 sesuai foto meter.", billing_user)

    assert replacement.usage == 25
    assert (replacement.status, replacement.total) == (Bill.Status.OPEN, 40000)
    assert credit.balance_of(bill.connection) == 0
    assert_money_exact(bill.connection)


def test_an_unpaid_corrected_bill_is_replaced_without_credit(billing_user):
    bill = billed_connection(usage=25)
    dispute = questioned(bill)

    replacement = correct_reading(dispute.pk, 100, "Salah baca.", billing_user)

    assert (replacement.status, replacement.total) == (Bill.Status.OPEN, 50000)
    assert not CreditEntry.objects.exists()
    assert_money_exact(bill.connection)


def test_the_replacement_falls_due_after_the_grace_period_and_carries_no_late_fee(billing_user, settings):
    settings.BILL_DISPUTE_GRACE_DAYS = 10
    bill = billed_connection(usage=25)
    assert bill.due_date < timezone.localdate()
    dispute = questioned(bill)

    replacement = correct_reading(dispute.pk, 100, "Salah baca.", billing_user)

    assert replacement.due_date == timezone.localdate() + datetime.timedelta(days=10)
    assert not replacement.lines.filter(kind=BillLine.Kind.LATE_FEE).exists()


def test_the_corrected_reading_keeps_its_old_stand_on_record(billing_user):
    bill = billed_connection(usage=25)
    dispute = questioned(bill)

    correct_reading(dispute.pk, 100, "Salah baca.", billing_user)

    reading = MeterReading.objects.get(connection=bill.connection, period=JANUARY)
    assert (reading.reading, reading.usage, reading.flagged) == (100, 15, False)
    correction = ReadingCorrection.objects.get(reading=reading)
    assert (correction.old_reading, correction.new_reading, correction.old_usage, correction.new_usage) == (
        110,
        100,
        25,
        15,
    )
    assert (correction.dispute, correction.corrected_by) == (dispute, billing_user)


def test_the_next_months_unbilled_usage_follows_the_corrected_stand(billing_user):
    bill = billed_connection(usage=25)
    MeterReadingFactory(connection=bill.connection, period=FEBRUARY, reading=120, previous_reading=110)
    dispute = questioned(bill)

    correct_reading(dispute.pk, 100, "Salah baca.", billing_user)

    february = MeterReading.objects.get(connection=bill.connection, period=FEBRUARY)
    assert (february.previous_reading, february.usage) == (100, 20)


def test_a_stand_below_the_previous_reading_is_refused_and_changes_nothing(billing_user):
    bill = billed_connection(usage=25)
    dispute = questioned(bill)

    with pytest.raises(CorrectionError):
        correct_reading(dispute.pk, 80, "Salah baca.", billing_user)

    bill.refresh_from_db()
    assert bill.status == Bill.Status.DISPUTED
    assert Bill.objects.filter(connection=bill.connection).count() == 1
    assert not ReadingCorrection.objects.exists()
    assert BillDispute.objects.get(pk=dispute.pk).resolved_at is None


def test_an_answer_needs_an_explanation(billing_user):
    dispute = questioned(billed_connection())

    with pytest.raises(CorrectionError):
        confirm_bill(dispute.pk, "   ", billing_user)
    with pytest.raises(CorrectionError):
        correct_reading(dispute.pk, 100, "", billing_user)


def test_a_question_is_answered_only_once(billing_user):
    dispute = questioned(billed_connection())
    correct_reading(dispute.pk, 100, "Salah baca.", billing_user)

    with pytest.raises(CorrectionError):
        confirm_bill(dispute.pk, "Sudah benar.", billing_user)


def test_confirming_returns_the_bill_to_open_with_a_fresh_due_date(billing_user, settings):
    settings.BILL_DISPUTE_GRACE_DAYS = 14
    bill = billed_connection()
    dispute = questioned(bill)

    confirm_bill(dispute.pk, "Pemakaian sesuai foto meter.", billing_user)

    bill.refresh_from_db()
    dispute.refresh_from_db()
    assert bill.status == Bill.Status.OPEN
    assert bill.due_date == timezone.localdate() + datetime.timedelta(days=14)
    assert (dispute.outcome, dispute.explanation, dispute.resolved_by) == (
        BillDispute.Outcome.CONFIRMED,
        "Pemakaian sesuai foto meter.",
        billing_user,
    )
    assert AuditEntry.objects.filter(action="bill.confirm", actor=billing_user).exists()


def test_confirming_a_paid_bill_returns_it_to_paid(billing_user, counter_user):
    bill = billed_connection()
    pay_cash(bill, counter_user)
    dispute = questioned(Bill.objects.get(pk=bill.pk))

    confirm_bill(dispute, "Sesuai.", billing_user)  # the record or its id

    assert Bill.objects.get(pk=bill.pk).status == Bill.Status.PAID


def test_the_answer_is_signalled_inside_the_transaction_with_the_replacement(billing_user):
    dispute = questioned(billed_connection())
    heard = []

    def listener(sender, dispute, replacement, **kwargs):
        heard.append((dispute.outcome, replacement and replacement.usage))

    bill_dispute_resolved.connect(listener, dispatch_uid="test-listener")
    try:
        correct_reading(dispute.pk, 100, "Salah baca.", billing_user)
    finally:
        bill_dispute_resolved.disconnect(dispatch_uid="test-listener")
    assert heard == [(BillDispute.Outcome.CORRECTED, 15)]


def test_the_preview_shows_the_replacement_and_what_is_left_to_pay(billing_user, counter_user):
    bill = billed_connection(usage=25)
    pay_cash(bill, counter_user)
    dispute = questioned(Bill.objects.get(pk=bill.pk))

    shown = preview(dispute, 100)

    assert (shown.usage, shown.total, shown.released, shown.credit, shown.to_pay) == (15, 50000, 90000, 50000, 0)
    assert Bill.objects.get(pk=bill.pk).status == Bill.Status.DISPUTED


def test_the_next_bill_run_uses_the_credit_and_the_money_stays_exact(billing_user, counter_user):
    bill = billed_connection(usage=25)
    pay_cash(bill, counter_user)
    correct_reading(questioned(Bill.objects.get(pk=bill.pk)).pk, 100, "Salah baca.", billing_user)
    MeterReadingFactory(connection=bill.connection, period=FEBRUARY, reading=112, previous_reading=100)

    run_bill_run(FEBRUARY)

    february = Bill.objects.get(connection=bill.connection, period=FEBRUARY)
    # 12 m³: 10 × 2.000 + 2 × 3.000 + 10.000 + 5.000 = 41.000, of which the credit pays 40.000
    assert (february.total, february.status) == (1000, Bill.Status.OPEN)
    assert february.lines.get(kind=BillLine.Kind.CREDIT).amount == -40000
    assert credit.balance_of(bill.connection) == 0
    assert_money_exact(bill.connection)


def test_a_bill_covered_by_credit_is_paid_without_a_receipt(billing_user, counter_user):
    bill = billed_connection(usage=25)
    pay_cash(bill, counter_user)
    correct_reading(questioned(Bill.objects.get(pk=bill.pk)).pk, 85, "Meter tidak bergerak.", billing_user)
    assert credit.balance_of(bill.connection) == 90000 - 35000  # 0 m³ is billed as the 10 m³ minimum
    MeterReadingFactory(connection=bill.connection, period=FEBRUARY, reading=95, previous_reading=85)

    run_bill_run(FEBRUARY)

    february = Bill.objects.get(connection=bill.connection, period=FEBRUARY)
    assert (february.total, february.status) == (0, Bill.Status.PAID)
    assert february.paid_at is not None
    assert Receipt.objects.count() == 1
    assert credit.balance_of(bill.connection) == 55000 - 35000
    assert_money_exact(bill.connection)


def test_a_rerun_of_a_period_with_a_replaced_bill_creates_nothing(billing_user):
    bill = billed_connection(usage=25)
    correct_reading(questioned(bill).pk, 100, "Salah baca.", billing_user)

    summary = run_bill_run(JANUARY)

    assert summary.created == 0
    assert Bill.objects.filter(connection=bill.connection, period=JANUARY).count() == 2
    assert Bill.objects.filter(connection=bill.connection, period=JANUARY).exclude(status=Bill.Status.VOID).count() == 1


def test_a_replaced_bills_usage_does_not_count_twice_in_an_estimate(billing_user):
    bill = billed_connection(usage=25)
    correct_reading(questioned(bill).pk, 100, "Salah baca.", billing_user)

    run_bill_run(FEBRUARY)  # no February reading: estimated from the live January bill only

    assert Bill.objects.get(connection=bill.connection, period=FEBRUARY).usage == 15


def test_a_refund_is_recorded_audited_and_never_goes_below_zero(billing_user, counter_user, supervisor):
    bill = billed_connection(usage=25)
    pay_cash(bill, counter_user)
    correct_reading(questioned(Bill.objects.get(pk=bill.pk)).pk, 100, "Salah baca.", billing_user)

    with pytest.raises(credit.CreditError):
        credit.refund(bill.connection, 40001, supervisor=supervisor, note="Transfer BRI")
    credit.refund(bill.connection, 40000, supervisor=supervisor, note="Transfer BRI")

    assert credit.balance_of(bill.connection) == 0
    assert AuditEntry.objects.filter(action="credit.refund", actor=supervisor).count() == 1
    assert_money_exact(bill.connection)
    with pytest.raises(credit.CreditError):
        credit.refund(bill.connection, 1, supervisor=supervisor, note="Transfer BRI")


def test_a_payment_arriving_after_its_bills_were_paid_becomes_credit_in_the_ledger(counter_user):
    from tests.factories.payments import pending_payment

    bill = billed_connection(usage=25)
    online = pending_payment([bill])
    pay_cash(bill, counter_user)

    services.settle(online.pk)

    assert Payment.objects.get(pk=online.pk).status == Payment.Status.CREDIT
    assert CreditEntry.objects.get(payment=online).amount == 90000
    assert credit.balance_of(bill.connection) == 90000
    assert_money_exact(bill.connection)


def test_a_payment_whose_bill_was_replaced_cannot_be_reversed(billing_user, counter_user, supervisor):
    bill = billed_connection(usage=25)
    payment = pay_cash(bill, counter_user)
    correct_reading(questioned(Bill.objects.get(pk=bill.pk)).pk, 100, "Salah baca.", billing_user)

    with pytest.raises(services.PaymentError):
        services.reverse(payment.pk, supervisor=supervisor, reason="salah input")

    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PAID


def test_the_latest_bill_of_a_connection_is_the_live_one(billing_user):
    bill = billed_connection(usage=25)
    replacement = correct_reading(questioned(bill).pk, 100, "Salah baca.", billing_user)

    assert latest_bill(bill.connection) == replacement


def test_confirming_before_the_due_date_keeps_it(billing_user):
    bill = billed_connection()
    later = timezone.localdate() + datetime.timedelta(days=3)
    Bill.objects.filter(pk=bill.pk).update(due_date=later)
    dispute = questioned(Bill.objects.get(pk=bill.pk))

    confirm_bill(dispute, "Sesuai.", billing_user)

    assert Bill.objects.get(pk=bill.pk).due_date == later


def test_a_billed_next_month_is_flagged_for_review_not_rewritten(billing_user):
    bill = billed_connection(usage=25)
    MeterReadingFactory(connection=bill.connection, period=FEBRUARY, reading=120, previous_reading=110)
    run_bill_run(FEBRUARY)

    correct_reading(questioned(bill).pk, 100, "Salah baca.", billing_user)

    february = MeterReading.objects.get(connection=bill.connection, period=FEBRUARY)
    assert (february.previous_reading, february.usage, february.flagged) == (110, 10, True)
