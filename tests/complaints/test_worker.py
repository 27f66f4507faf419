import pytest
from django.core import mail

from complaints.models import Complaint
from complaints.services.workflow import Change, transition
from tests.factories.complaints import ComplaintFactory
from tests.services import wait_for


@pytest.mark.redis
def test_a_status_change_reaches_the_reporter_by_email_through_a_real_worker(celery_worker, complaints_user):
    complaint = ComplaintFactory(reporter_email="wayan@example.test", reporter_phone="")
    transition(complaint.pk, complaints_user, Change(Complaint.Status.VERIFIED, message="Tim kami sudah memeriksa."))
    assert wait_for(lambda: any(complaint.ticket in m.subject for m in mail.outbox))
    message = next(m for m in mail.outbox if complaint.ticket in m.subject)
    assert message.to == ["Wayan Sudarma <wayan@example.test>"]
    assert "Tim kami sudah memeriksa." in message.body
