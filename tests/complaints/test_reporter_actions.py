import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Notification
from complaints.models import Complaint, ComplaintEvent
from tests.complaints.images import jpeg_bytes
from tests.factories.complaints import ComplaintFactory

pytestmark = pytest.mark.django_db
S = Complaint.Status


@pytest.fixture
def reporter(customer_client, customer):
    return customer_client


def test_a_rating_of_three_or_more_closes_the_ticket(reporter, customer):
    complaint = ComplaintFactory(reporter=customer, status=S.RESOLVED)
    reporter.post(
        reverse("complaints:rate", args=[complaint.ticket]), {"rating": "4", "comment": "Cepat, terima kasih"}
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.rating, complaint.rating_comment) == (S.CLOSED, 4, "Cepat, terima kasih")


def test_a_rating_of_one_or_two_reopens_and_escalates_to_supervisors(reporter, customer, supervisor, field_user):
    complaint = ComplaintFactory(reporter=customer, status=S.RESOLVED, assignee=field_user)
    reporter.post(reverse("complaints:rate", args=[complaint.ticket]), {"rating": "2", "comment": "Masih bocor"})
    complaint.refresh_from_db()
    assert complaint.status == S.VERIFIED
    assert complaint.escalated
    assert complaint.assignee is None
    assert complaint.events.filter(kind=ComplaintEvent.Kind.ESCALATED).exists()
    assert Notification.objects.get(template="complaints/escalated").user == supervisor


def test_only_a_resolved_ticket_can_be_rated_and_only_once(reporter, customer):
    complaint = ComplaintFactory(reporter=customer, status=S.IN_PROGRESS)
    reporter.post(reverse("complaints:rate", args=[complaint.ticket]), {"rating": "5"})
    complaint.refresh_from_db()
    assert complaint.rating is None
    complaint.status = S.RESOLVED
    complaint.save()
    reporter.post(reverse("complaints:rate", args=[complaint.ticket]), {"rating": "5"})
    reporter.post(reverse("complaints:rate", args=[complaint.ticket]), {"rating": "1"})
    complaint.refresh_from_db()
    assert (complaint.status, complaint.rating) == (S.CLOSED, 5)


@pytest.mark.parametrize("rating", ["0", "6", "abc", ""])
def test_a_nonsense_rating_changes_nothing(reporter, customer, rating):
    complaint = ComplaintFactory(reporter=customer, status=S.RESOLVED)
    response = reporter.post(reverse("complaints:rate", args=[complaint.ticket]), {"rating": rating})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == S.RESOLVED


def test_the_reporter_adds_a_comment_and_a_photo_while_open(reporter, customer):
    complaint = ComplaintFactory(reporter=customer)
    photo = SimpleUploadedFile("lagi.jpg", jpeg_bytes(), content_type="image/jpeg")
    reporter.post(reverse("complaints:comment", args=[complaint.ticket]), {"text": "Makin deras", "photos": [photo]})
    event = complaint.events.get(kind=ComplaintEvent.Kind.COMMENT)
    assert event.by_reporter
    assert event.public
    assert complaint.photos.count() == 1


def test_no_comments_on_a_closed_ticket(reporter, customer):
    complaint = ComplaintFactory(reporter=customer, status=S.CLOSED)
    reporter.post(reverse("complaints:comment", args=[complaint.ticket]), {"text": "Halo"})
    assert not complaint.events.exists()


def test_photos_are_shown_only_to_those_who_may_see_the_ticket(reporter, customer, client, other_customer, field_user):
    complaint = ComplaintFactory(reporter=customer)
    photo = SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")
    reporter.post(reverse("complaints:comment", args=[complaint.ticket]), {"photos": [photo]})
    url = reverse("complaints:photo", args=[complaint.photos.get().pk])
    assert reporter.get(url).status_code == 200
    client.force_login(other_customer)
    assert client.get(url).status_code == 404
    client.force_login(field_user)
    assert client.get(url).status_code == 200


def test_a_reporters_comment_tells_the_assignee_with_a_link_to_the_staff_page(reporter, customer, field_user):
    complaint = ComplaintFactory(reporter=customer, status=S.ASSIGNED, assignee=field_user)
    reporter.post(reverse("complaints:comment", args=[complaint.ticket]), {"text": "Makin deras"})
    alert = Notification.objects.get(template="complaints/reporter_comment")
    event = complaint.events.get(kind=ComplaintEvent.Kind.COMMENT)
    assert alert.user == field_user
    assert alert.context["message"] == "Makin deras"
    assert alert.context["staff_url"] == reverse("complaints_staff:ticket", args=[complaint.ticket])
    assert str(event.pk) in alert.dedupe_key


def test_a_comment_on_an_unassigned_ticket_tells_the_complaints_officers(
    reporter, customer, complaints_user, supervisor
):
    complaint = ComplaintFactory(reporter=customer)
    reporter.post(reverse("complaints:comment", args=[complaint.ticket]), {"text": "Masih bocor"})
    alerts = Notification.objects.filter(template="complaints/reporter_comment")
    assert set(alerts.values_list("user", flat=True)) == {complaints_user.pk}


def test_an_added_photo_alone_also_tells_the_assignee(reporter, customer, field_user):
    complaint = ComplaintFactory(reporter=customer, status=S.IN_PROGRESS, assignee=field_user)
    photo = SimpleUploadedFile("lagi.jpg", jpeg_bytes(), content_type="image/jpeg")
    reporter.post(reverse("complaints:comment", args=[complaint.ticket]), {"photos": [photo]})
    alert = Notification.objects.get(template="complaints/reporter_comment")
    assert (alert.user, alert.context["photos"]) == (field_user, 1)


def test_each_comment_is_told_once_and_every_new_comment_again(reporter, customer, field_user):
    complaint = ComplaintFactory(reporter=customer, status=S.ASSIGNED, assignee=field_user)
    url = reverse("complaints:comment", args=[complaint.ticket])
    reporter.post(url, {"text": "Pertama"})
    reporter.post(url, {"text": "Kedua"})
    alerts = Notification.objects.filter(template="complaints/reporter_comment")
    assert sorted(alert.context["message"] for alert in alerts) == ["Kedua", "Pertama"]
    assert alerts.values("dedupe_key").distinct().count() == 2


def test_a_refused_comment_tells_nobody(reporter, customer, field_user):
    complaint = ComplaintFactory(reporter=customer, status=S.CLOSED, assignee=field_user)
    reporter.post(reverse("complaints:comment", args=[complaint.ticket]), {"text": "Halo"})
    assert not Notification.objects.filter(template="complaints/reporter_comment").exists()
