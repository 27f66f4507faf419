import io
import random

import pytest

from complaints import demo
from complaints.models import Complaint, Outage
from tests.factories.accounts import ServiceConnectionFactory

pytestmark = pytest.mark.django_db


def test_the_demo_seed_creates_tickets_in_many_states_and_one_active_outage():
    ServiceConnectionFactory.create_batch(5)
    demo.seed(rng=random.Random(1), progress=False, stdout=io.StringIO())
    assert Complaint.objects.count() == demo.COUNT
    assert Complaint.objects.values("status").distinct().count() >= 5
    assert Outage.objects.filter(status=Outage.Status.PUBLISHED).count() == 1
    assert all(c.events.exists() for c in Complaint.objects.all())


def test_the_demo_seed_adds_nothing_the_second_time():
    ServiceConnectionFactory()
    demo.seed(rng=random.Random(1), progress=False, stdout=io.StringIO())
    demo.seed(rng=random.Random(1), progress=False, stdout=io.StringIO())
    assert Complaint.objects.count() == demo.COUNT


def test_every_demo_ticket_renders_for_staff_and_its_reporter(client, supervisor):
    from django.urls import reverse

    from complaints.views.public import SESSION_KEY

    ServiceConnectionFactory.create_batch(3)
    demo.seed(rng=random.Random(7), progress=False, stdout=io.StringIO())
    client.force_login(supervisor)
    assert client.get(reverse("complaints_staff:queue"), {"status": "all"}).status_code == 200
    tickets = list(Complaint.objects.values_list("ticket", flat=True))
    session = client.session
    session[SESSION_KEY] = tickets
    session.save()
    for ticket in tickets:
        assert client.get(reverse("complaints_staff:ticket", args=[ticket])).status_code == 200
        assert client.get(reverse("complaints:ticket", args=[ticket])).status_code == 200


def test_seed_demo_adds_the_complaints_demo(settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", connections=20, verbosity=0)
    assert Complaint.objects.count() == demo.COUNT
    assert Complaint.objects.exclude(assignee=None).exists()
