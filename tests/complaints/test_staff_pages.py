from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from complaints.models import Complaint
from tests.factories.accounts import AreaFactory
from tests.factories.complaints import ComplaintFactory, category

pytestmark = pytest.mark.django_db
S = Complaint.Status
QUEUE = reverse("complaints_staff:queue")


def tickets_in(response) -> set[str]:
    return {c.ticket for c in response.context["page"]}


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_customers_get_404_under_staff(customer_client):
    complaint = ComplaintFactory()
    assert customer_client.get(QUEUE).status_code == 404
    assert customer_client.get(reverse("complaints_staff:ticket", args=[complaint.ticket])).status_code == 404


def test_staff_without_the_complaints_permission_get_403(client, billing_user):
    client.force_login(billing_user)
    assert client.get(QUEUE).status_code == 403


@pytest.mark.parametrize("persona", ["complaints_user", "field_user", "supervisor", "counter_user"])
def test_complaint_staff_see_the_open_tickets_in_the_queue(client, persona, request):
    open_ticket = ComplaintFactory(status=S.VERIFIED)
    ComplaintFactory(status=S.CLOSED)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(QUEUE)
    assert tickets_in(response) == {open_ticket.ticket}
    assert open_ticket.ticket in response.content.decode()


def test_the_queue_filters_by_status_category_area_assignee_and_sla(client, complaints_user, field_user):
    client.force_login(complaints_user)
    area = AreaFactory()
    new = ComplaintFactory()
    billing = ComplaintFactory(category=category("billing"), area=area)
    mine = ComplaintFactory(status=S.ASSIGNED, assignee=field_user)
    late = ComplaintFactory(created_at=timezone.now() - timedelta(hours=30))
    closed = ComplaintFactory(status=S.CLOSED)
    assert tickets_in(client.get(QUEUE)) == {new.ticket, billing.ticket, mine.ticket, late.ticket}
    assert tickets_in(client.get(QUEUE, {"status": "closed"})) == {closed.ticket}
    assert tickets_in(client.get(QUEUE, {"category": category("billing").pk})) == {billing.ticket}
    assert tickets_in(client.get(QUEUE, {"area": area.pk})) == {billing.ticket}
    assert tickets_in(client.get(QUEUE, {"assignee": field_user.pk})) == {mine.ticket}
    assert tickets_in(client.get(QUEUE, {"sla": "breached"})) == {late.ticket}


def test_the_escalated_filter_shows_the_tickets_a_low_rating_reopened(client, complaints_user, customer):
    from complaints.services.filing import rate

    client.force_login(complaints_user)
    reopened = ComplaintFactory(reporter=customer, status=S.RESOLVED)
    rate(reopened.pk, 1, "Masih bocor")
    happy = ComplaintFactory(status=S.RESOLVED)
    rate(happy.pk, 5)
    ComplaintFactory()
    assert tickets_in(client.get(QUEUE, {"escalated": "on"})) == {reopened.ticket}


def test_the_escalated_filter_combines_with_the_status_filter(client, complaints_user):
    client.force_login(complaints_user)
    ComplaintFactory(status=S.VERIFIED, escalated=True)
    closed_again = ComplaintFactory(status=S.CLOSED, escalated=True)
    assert tickets_in(client.get(QUEUE, {"escalated": "on", "status": "closed"})) == {closed_again.ticket}


def test_the_escalated_queue_query_count_does_not_grow_with_tickets(
    client, complaints_user, field_user, django_assert_max_num_queries
):
    client.force_login(complaints_user)
    ComplaintFactory.create_batch(3, status=S.ASSIGNED, assignee=field_user, escalated=True)
    with django_assert_max_num_queries(10) as small:
        client.get(QUEUE, {"escalated": "on"})
    ComplaintFactory.create_batch(30, status=S.ASSIGNED, assignee=field_user, escalated=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(QUEUE, {"escalated": "on"})
    assert len(tickets_in(response)) == 33


def test_the_queue_sorts_by_due_time_first(client, complaints_user):
    client.force_login(complaints_user)
    later = ComplaintFactory(category=category("billing"))
    sooner = ComplaintFactory()
    assert [c.ticket for c in client.get(QUEUE).context["page"]] == [sooner.ticket, later.ticket]
    assert [c.ticket for c in client.get(QUEUE, {"sort": "oldest"}).context["page"]] == [later.ticket, sooner.ticket]


def test_nonsense_filters_do_not_break_the_queue(client, complaints_user):
    client.force_login(complaints_user)
    open_ticket = ComplaintFactory(status=S.RECEIVED)
    response = client.get(QUEUE, {"status": "x", "category": "abc", "area": "-1", "assignee": "'", "page": "zz"})
    assert response.status_code == 200
    assert tickets_in(response) == {open_ticket.ticket}  # the default view: every open ticket


def test_htmx_gets_only_the_results(client, complaints_user):
    client.force_login(complaints_user)
    ComplaintFactory()
    body = client.get(QUEUE, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="queue-results"' in body
    assert "<html" not in body


def test_the_queue_query_count_does_not_grow_with_tickets(
    client, complaints_user, field_user, django_assert_max_num_queries
):
    client.force_login(complaints_user)
    ComplaintFactory.create_batch(3, status=S.ASSIGNED, assignee=field_user)
    with django_assert_max_num_queries(12) as small:
        client.get(QUEUE)
    ComplaintFactory.create_batch(30, status=S.ASSIGNED, assignee=field_user)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(QUEUE)


def test_bulk_assign_verifies_and_assigns_the_ticked_tickets(client, complaints_user, field_user):
    client.force_login(complaints_user)
    first, second = ComplaintFactory(), ComplaintFactory(status=S.VERIFIED)
    closed = ComplaintFactory(status=S.CLOSED)
    data = {"tickets": [first.ticket, second.ticket, closed.ticket], "assignee": field_user.pk}
    client.post(reverse("complaints_staff:bulk-assign"), data)
    assert set(Complaint.objects.filter(assignee=field_user).values_list("ticket", flat=True)) == {
        first.ticket,
        second.ticket,
    }
    closed.refresh_from_db()
    assert closed.status == S.CLOSED


def test_field_staff_cannot_bulk_assign(client, field_user):
    client.force_login(field_user)
    complaint = ComplaintFactory()
    client.post(reverse("complaints_staff:bulk-assign"), {"tickets": [complaint.ticket], "assignee": field_user.pk})
    complaint.refresh_from_db()
    assert complaint.status == S.RECEIVED


def test_the_ticket_page_shows_reporter_account_and_internal_notes(client, complaints_user, customer_connection):
    complaint = ComplaintFactory(connection=customer_connection)
    client.force_login(complaints_user)
    client.post(reverse("complaints_staff:note", args=[complaint.ticket]), {"text": "Cek katup di gang 3"})
    body = client.get(reverse("complaints_staff:ticket", args=[complaint.ticket])).content.decode()
    assert "Cek katup di gang 3" in body
    assert customer_connection.account_number in body
    assert complaint.reporter_name in body


def test_a_status_change_from_the_ticket_page(client, complaints_user):
    complaint = ComplaintFactory()
    client.force_login(complaints_user)
    url = reverse("complaints_staff:transition", args=[complaint.ticket])
    response = client.post(url, {"to_status": "verified", "message": "Laporan valid"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == S.VERIFIED


def test_an_illegal_change_from_the_ticket_page_is_refused_with_a_message(client, field_user):
    complaint = ComplaintFactory()
    client.force_login(field_user)
    response = client.post(reverse("complaints_staff:transition", args=[complaint.ticket]), {"to_status": "resolved"})
    assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.status == S.RECEIVED


def test_marking_a_duplicate_needs_an_existing_ticket(client, complaints_user):
    complaint = ComplaintFactory()
    client.force_login(complaints_user)
    url = reverse("complaints_staff:transition", args=[complaint.ticket])
    response = client.post(url, {"to_status": "duplicate", "duplicate_of": "ADU-2026-424242"})
    assert response.status_code == 400
    original = ComplaintFactory()
    client.post(url, {"to_status": "duplicate", "duplicate_of": original.ticket.lower()})
    complaint.refresh_from_db()
    assert complaint.duplicate_of == original


def test_the_ticket_page_query_count_does_not_grow_with_history(client, supervisor, django_assert_max_num_queries):
    from complaints.services.workflow import add_staff_note

    complaint = ComplaintFactory()
    client.force_login(supervisor)
    url = reverse("complaints_staff:ticket", args=[complaint.ticket])
    add_staff_note(complaint.pk, supervisor, "Catatan", public=False)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(6):
        add_staff_note(complaint.pk, supervisor, f"Catatan {n}", public=n % 2 == 0)
        ComplaintFactory(duplicate_of=complaint, status=S.DUPLICATE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_staff_home_links_to_the_queue_for_complaint_staff_only(client, complaints_user, billing_user):
    client.force_login(complaints_user)
    assert QUEUE in client.get(reverse("portal:staff-home")).content.decode()
    client.force_login(billing_user)
    assert QUEUE not in client.get(reverse("portal:staff-home")).content.decode()


@pytest.mark.parametrize("language", ["id", "en"])
def test_queue_rows_link_and_due_time_read_as_url_and_date_tags_would(client, complaints_user, language):
    client.force_login(complaints_user)
    complaint = ComplaintFactory(due_at=timezone.now().replace(month=12, day=30, hour=3, minute=5))
    client.cookies["django_language"] = language
    body = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    with translation.override(language):
        expected = Template(
            '<a href="{% url \'complaints_staff:ticket\' c.ticket %}">{{ c.ticket }}</a>|{{ c.due_at|date:"j M H:i" }}'
        ).render(Context({"c": complaint}))
    link, due = expected.split("|")
    assert link in body
    assert f"<td>{due}" in body
    assert ("30 Des 11:05" if language == "id" else "30 Dec 11:05") == due
