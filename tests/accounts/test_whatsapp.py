"""WhatsApp Cloud API backend against a local fake of the Graph API."""

import pytest
from django.utils import timezone

from accounts import outbox
from accounts.delivery import deliver
from accounts.models import InboundMessage, Notification, UnreachableAddress
from accounts.outbox import Attachment, attachment_renderer
from tests.factories.accounts import UserFactory
from tests.fakes import whatsapp as fake
from tests.fakes.server import serving

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_templates")]


@pytest.fixture
def graph(settings):
    app = fake.FakeGraph()
    with serving(app) as url:
        fake.settings_for(settings, url)
        yield app


@attachment_renderer("tests.letter_pdf")
def letter_pdf(number: str) -> tuple[str, bytes, str]:
    return f"surat-{number}.pdf", b"%PDF-1.7 letter " + number.encode(), "application/pdf"


def whatsapp_user(**fields):
    return UserFactory(
        phone="+6281234567890",
        notify_email=False,
        notify_whatsapp=True,
        whatsapp_opt_in_at=timezone.now(),  # WhatsApp is used only with a recorded consent
        **fields,
    )


@pytest.fixture
def queue(django_capture_on_commit_callbacks):
    """Queue a message and commit, so that it is sent."""

    def queue(user, attachments=()):
        with django_capture_on_commit_callbacks(execute=True):
            [row] = outbox.notify(user, "test/hello", {"code": "77"}, dedupe_key="wa-test", attachments=attachments)
        return row

    return queue


def open_window(phone: str) -> None:
    InboundMessage.objects.create(channel="whatsapp", from_address=phone, text="halo", provider_id="wamid.in1")


def test_outside_the_service_window_a_message_goes_as_its_approved_template(graph, queue):
    row = queue(whatsapp_user(language="en"))

    row.refresh_from_db()
    [sent] = graph.messages
    assert sent["to"] == "6281234567890"
    assert sent["type"] == "template"
    assert sent["template"]["name"] == "tirta_test_hello"
    assert sent["template"]["language"] == {"code": "en"}
    [body] = sent["template"]["components"]
    assert body["type"] == "body"
    assert "\n" not in body["parameters"][0]["text"]
    assert row.status == Notification.Status.SENT
    assert row.provider_id.startswith("wamid.")


def test_outside_the_service_window_a_pdf_goes_as_the_templates_document_header(graph, queue):
    row = queue(whatsapp_user(), [Attachment("tests.letter_pdf", {"number": "12"})])

    [sent] = graph.messages
    header = sent["template"]["components"][0]
    assert header["type"] == "header"
    assert header["parameters"][0]["document"]["filename"] == "surat-12.pdf"
    assert b"%PDF-1.7 letter 12" in graph.media[0]
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT


def test_inside_the_service_window_a_pdf_goes_as_a_document_with_the_text_as_caption(graph, queue):
    user = whatsapp_user()
    open_window(user.phone)

    queue(user, [Attachment("tests.letter_pdf", {"number": "12"})])

    [sent] = graph.messages
    assert sent["type"] == "document"
    assert sent["document"]["id"].startswith("media-")
    assert sent["document"]["filename"] == "surat-12.pdf"
    assert sent["document"]["caption"]


def test_inside_the_service_window_a_text_goes_as_free_text(graph, queue):
    user = whatsapp_user()
    open_window(user.phone)

    queue(user)

    [sent] = graph.messages
    assert sent["type"] == "text"
    assert sent["text"]["body"]


def test_the_window_closes_24_hours_after_the_persons_last_message(graph, queue):
    user = whatsapp_user()
    InboundMessage.objects.create(
        channel="whatsapp",
        from_address=user.phone,
        provider_id="wamid.old",
        received_at=timezone.now() - timezone.timedelta(hours=25),
    )

    queue(user)

    assert graph.messages[0]["type"] == "template"


def test_a_number_without_whatsapp_fails_for_good_and_is_marked_unreachable(graph, queue):
    graph.no_whatsapp.add("6281234567890")

    row = queue(whatsapp_user())

    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED
    assert "131026" in row.last_error
    unreachable = UnreachableAddress.objects.get(channel="whatsapp")
    assert unreachable.address == "+6281234567890"


def test_a_busy_graph_api_leaves_the_message_queued_for_a_retry(graph, queue):
    graph.busy = True

    row = queue(whatsapp_user())

    row.refresh_from_db()
    assert row.status == Notification.Status.QUEUED
    assert "131000" in row.last_error
    assert not UnreachableAddress.objects.exists()


def test_a_refused_access_token_fails_the_message_without_blaming_the_number(graph, settings, queue):
    settings.WHATSAPP_ACCESS_TOKEN = "expired"

    row = queue(whatsapp_user())

    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED
    assert "190" in row.last_error
    assert not UnreachableAddress.objects.exists()


def test_a_sent_message_is_not_sent_again_by_a_duplicate_task(graph, queue):
    row = queue(whatsapp_user())

    deliver(row.pk)

    assert len(graph.messages) == 1
