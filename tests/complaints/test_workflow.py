import pytest

from accounts.models import AuditEntry, Notification
from complaints.models import Complaint, ComplaintEvent
from complaints.services.workflow import (
    ANSWER_BILLING,
    REPORTER,
    TRANSITIONS,
    Change,
    TransitionError,
    allowed_transitions,
    transition,
)
from tests.factories.complaints import ComplaintFactory, category

pytestmark = pytest.mark.django_db
S = Complaint.Status


def test_the_happy_path_is_legal_for_the_right_roles(complaints_user, field_user):
    complaint = ComplaintFactory()
    transition(complaint.pk, complaints_user, Change(S.VERIFIED))
    transition(complaint.pk, complaints_user, Change(S.ASSIGNED, assignee=field_user))
    transition(complaint.pk, field_user, Change(S.IN_PROGRESS))
    transition(complaint.pk, field_user, Change(S.RESOLVED, message="Pipa sudah diganti."))
    transition(complaint.pk, complaints_user, Change(S.CLOSED))
    complaint.refresh_from_db()
    assert complaint.status == S.CLOSED
    assert complaint.resolved_at is not None


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (S.RECEIVED, S.RESOLVED),
        (S.RECEIVED, S.ASSIGNED),
        (S.VERIFIED, S.CLOSED),
        (S.CLOSED, S.IN_PROGRESS),
        (S.REJECTED, S.VERIFIED),
        (S.DUPLICATE, S.RECEIVED),
        (S.IN_PROGRESS, S.RECEIVED),
    ],
)
def test_illegal_transitions_are_refused_even_for_a_supervisor(supervisor, start, target):
    complaint = ComplaintFactory(status=start)
    with pytest.raises(TransitionError):
        transition(complaint.pk, supervisor, Change(target, assignee=supervisor, reason="x"))
    complaint.refresh_from_db()
    assert complaint.status == start
    assert not ComplaintEvent.objects.filter(complaint=complaint).exists()


def test_a_supervisor_may_make_every_transition_open_to_staff(supervisor):
    for (start, target), actors in TRANSITIONS.items():
        kind = category("billing") if actors == (ANSWER_BILLING,) else category()
        complaint = ComplaintFactory(status=start, assignee=None, category=kind)
        assert (target in allowed_transitions(supervisor, complaint)) == (actors != (REPORTER,))


def test_only_the_reporter_reopens_a_resolved_ticket_and_reopening_escalates_it(supervisor, field_user):
    complaint = ComplaintFactory(status=S.RESOLVED, assignee=field_user, rating=1)
    with pytest.raises(TransitionError):
        transition(complaint.pk, supervisor, Change(S.VERIFIED))
    transition(complaint.pk, REPORTER, Change(S.VERIFIED))
    complaint.refresh_from_db()
    assert (complaint.status, complaint.escalated, complaint.assignee) == (S.VERIFIED, True, None)
    assert Notification.objects.get(template="complaints/escalated").user == supervisor


def test_the_reporter_cannot_make_a_staff_move(field_user):
    complaint = ComplaintFactory(status=S.ASSIGNED, assignee=field_user)
    assert allowed_transitions(REPORTER, complaint) == []
    with pytest.raises(TransitionError):
        transition(complaint.pk, REPORTER, Change(S.RESOLVED))


def test_complaints_staff_triage_but_do_not_resolve(complaints_user, field_user):
    complaint = ComplaintFactory(status=S.ASSIGNED, assignee=field_user)
    assert S.RESOLVED not in allowed_transitions(complaints_user, complaint)
    with pytest.raises(TransitionError):
        transition(complaint.pk, complaints_user, Change(S.RESOLVED))


def test_field_staff_move_only_tickets_assigned_to_them(field_user):
    mine = ComplaintFactory(status=S.ASSIGNED, assignee=field_user)
    theirs = ComplaintFactory(status=S.ASSIGNED)
    assert allowed_transitions(field_user, mine) == [S.IN_PROGRESS, S.RESOLVED]
    assert allowed_transitions(field_user, theirs) == []


def test_field_staff_cannot_verify_new_tickets(field_user):
    with pytest.raises(TransitionError):
        transition(ComplaintFactory().pk, field_user, Change(S.VERIFIED))


def test_counter_and_billing_staff_cannot_change_tickets(counter_user, billing_user):
    complaint = ComplaintFactory()
    assert allowed_transitions(counter_user, complaint) == []
    assert allowed_transitions(billing_user, complaint) == []


def test_assigning_needs_a_member_of_staff(complaints_user, customer):
    complaint = ComplaintFactory(status=S.VERIFIED)
    with pytest.raises(TransitionError):
        transition(complaint.pk, complaints_user, Change(S.ASSIGNED))
    with pytest.raises(TransitionError):
        transition(complaint.pk, complaints_user, Change(S.ASSIGNED, assignee=customer))


def test_rejecting_needs_a_reason_which_the_reporter_sees(complaints_user):
    complaint = ComplaintFactory()
    with pytest.raises(TransitionError):
        transition(complaint.pk, complaints_user, Change(S.REJECTED, reason="  "))
    transition(complaint.pk, complaints_user, Change(S.REJECTED, reason="Lokasi di luar wilayah layanan."))
    event = complaint.events.get(to_status=S.REJECTED)
    assert event.public
    assert event.message == "Lokasi di luar wilayah layanan."


def test_every_change_records_who_and_when_and_is_audited(complaints_user):
    complaint = ComplaintFactory()
    transition(complaint.pk, complaints_user, Change(S.VERIFIED, message="Sudah kami cek."))
    event = complaint.events.get()
    assert (event.actor, event.from_status, event.to_status) == (complaints_user, S.RECEIVED, S.VERIFIED)
    entry = AuditEntry.objects.get(action="complaint.verified")
    assert entry.actor == complaints_user
    assert entry.object_id == str(complaint.pk)
    assert entry.changes == {"status": ["received", "verified"]}


def test_a_public_change_notifies_the_reporter_through_the_outbox(complaints_user):
    complaint = ComplaintFactory()
    transition(complaint.pk, complaints_user, Change(S.VERIFIED))
    channels = set(Notification.objects.filter(template="complaints/status_changed").values_list("channel", flat=True))
    assert channels == {"email", "sms"}


def test_reassignment_is_internal_and_tells_only_the_new_assignee(complaints_user, field_user, supervisor):
    complaint = ComplaintFactory(status=S.ASSIGNED, assignee=field_user)
    transition(complaint.pk, complaints_user, Change(S.ASSIGNED, assignee=supervisor))
    assert not complaint.events.get().public
    assert not Notification.objects.filter(template="complaints/status_changed").exists()
    assert Notification.objects.get(template="complaints/assigned").user == supervisor


def test_a_duplicate_links_to_its_original_whose_updates_reach_both_reporters(complaints_user, field_user):
    original = ComplaintFactory(status=S.VERIFIED)
    copy = ComplaintFactory()
    transition(copy.pk, complaints_user, Change(S.DUPLICATE, duplicate_of=original))
    copy.refresh_from_db()
    assert copy.duplicate_of == original
    Notification.objects.all().delete()
    transition(original.pk, complaints_user, Change(S.ASSIGNED, assignee=field_user))
    notified = set(
        Notification.objects.filter(template="complaints/status_changed", channel="email").values_list(
            "to_address", flat=True
        )
    )
    assert notified == {original.reporter_email, copy.reporter_email}


def test_a_ticket_cannot_be_a_duplicate_of_itself(complaints_user):
    complaint = ComplaintFactory()
    with pytest.raises(TransitionError):
        transition(complaint.pk, complaints_user, Change(S.DUPLICATE, duplicate_of=complaint))


@pytest.mark.parametrize("start", [S.RECEIVED, S.VERIFIED, S.ASSIGNED, S.IN_PROGRESS])
def test_billing_staff_resolve_billing_questions(billing_user, field_user, start):
    complaint = ComplaintFactory(status=start, category=category("billing"), assignee=field_user)
    transition(complaint.pk, billing_user, Change(S.RESOLVED, message="Tagihan sudah dikoreksi."))
    complaint.refresh_from_db()
    assert complaint.status == S.RESOLVED


def test_billing_staff_resolve_no_other_kind_of_ticket(billing_user):
    complaint = ComplaintFactory(status=S.RECEIVED, category=category("burst_pipe"))
    assert allowed_transitions(billing_user, complaint) == []
    with pytest.raises(TransitionError):
        transition(complaint.pk, billing_user, Change(S.RESOLVED))
