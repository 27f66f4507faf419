"""Notification in → receipt e-mail with the PDF out, through a real Celery worker on Redis."""

import pytest
from django.core import mail
from django.test import Client

from accounts.models import Notification
from billing.payments.models import Payment
from tests.factories.payments import notification, open_bills_of, pending_payment, post_notification
from tests.services import wait_for


@pytest.mark.redis
def test_a_paid_notification_sends_the_receipt_pdf_through_a_real_worker(celery_worker, customer):
    payment = pending_payment(open_bills_of(customer.connections.get(), 125500), payer=customer)

    assert post_notification(Client(), notification(payment)).status_code == 200

    assert wait_for(lambda: mail.outbox)
    [message] = mail.outbox
    receipt = Payment.objects.get(pk=payment.pk).receipt
    assert receipt.number in message.subject
    [(filename, content, mimetype)] = message.attachments
    assert filename == f"kuitansi-{receipt.number.replace('/', '-')}.pdf"
    assert (mimetype, content[:4]) == ("application/pdf", b"%PDF")
    # The worker marks the message sent after handing it over: on a busy machine that can come a moment later.
    assert wait_for(lambda: Notification.objects.get(template="billing/receipt").status == Notification.Status.SENT)
