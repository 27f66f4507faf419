import io
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from complaints import demo
from complaints.models import Complaint, Outage
from tests.factories.accounts import ServiceConnectionFactory

pytestmark = pytest.mark.django_db


def test_the_demo_seed_creates_tickets_in_many_states_and_one_active_outage():
    ServiceConnectionFactory.create_batch(5)
    demo.seed(rng=random.Random(1), progress=False, stdout=io.StringIO())
    assert Complaint.objects.count() == demo.MINIMUM
    assert Complaint.objects.values("status").distinct().count() >= 5
    assert Outage.objects.filter(status=Outage.Status.PUBLISHED).count() == 1
    assert all(c.events.exists() for c in Complaint.objects.all())


def test_the_demo_seed_adds_nothing_the_second_time():
    ServiceConnectionFactory()
    demo.seed(rng=random.Random(1), progress=False, stdout=io.StringIO())
    demo.seed(rng=random.Random(1), progress=False, stdout=io.StringIO())
    assert Complaint.objects.count() == demo.MINIMUM


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
    # Besides the demo customer's questioned bill, whose ticket portal files.
    assert Complaint.objects.filter(linked_label="").count() == demo.MINIMUM
    assert Complaint.objects.exclude(assignee=None).exists()


def test_a_larger_utility_gets_a_years_tickets_at_a_few_per_100_connections_a_month():
    ServiceConnectionFactory.create_batch(400)
    demo.seed(rng=random.Random(3), progress=False, stdout=io.StringIO())
    assert Complaint.objects.count() == 400 * 3 * 12 // 100
    oldest = Complaint.objects.order_by("created_at").first().created_at
    assert timezone.now() - oldest > timedelta(days=300)


def test_the_years_tickets_spread_over_categories_states_and_areas_and_old_ones_are_done():
    ServiceConnectionFactory.create_batch(400)
    demo.seed(rng=random.Random(3), progress=False, stdout=io.StringIO())
    assert Complaint.objects.values("category").distinct().count() >= 8
    assert Complaint.objects.values("status").distinct().count() >= 5
    assert Complaint.objects.values("area").distinct().count() >= 5
    month_old = Complaint.objects.filter(created_at__lt=timezone.now() - timedelta(days=30))
    assert month_old.filter(status__in=Complaint.OPEN_STATUSES).count() < month_old.count() * 0.1


def test_ticket_numbers_follow_the_filing_order_within_each_year():
    ServiceConnectionFactory.create_batch(400)
    demo.seed(rng=random.Random(3), progress=False, stdout=io.StringIO())
    tickets = list(Complaint.objects.order_by("created_at").values_list("ticket", flat=True))
    by_year = {}
    for ticket in tickets:
        by_year.setdefault(ticket[4:8], []).append(ticket)
    assert all(numbers == sorted(numbers) for numbers in by_year.values())
    assert all(numbers[0].endswith("-000001") for numbers in by_year.values())
