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
