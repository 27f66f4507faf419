"""Comments with photos are bounded: per client, per ticket, by pixel count, and by the ticket's room for photos."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from complaints.models import ComplaintEvent, ComplaintPhoto
from complaints.photos import THUMBNAIL_SIDE, process_photo
from complaints.views.public import SESSION_KEY
from tests.complaints.images import jpeg_bytes
from tests.factories.complaints import ComplaintFactory

pytestmark = pytest.mark.django_db


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares a canvas of width × height but carries no pixel data at all."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def photo(content: bytes | None = None, name: str = "foto.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else jpeg_bytes(), content_type="image/jpeg")


def reporter_of(complaint, address: str = "203.0.113.7") -> Client:
    """A browser that tracked the ticket, at `address`."""
    browser = Client(REMOTE_ADDR=address)
    session = browser.session
    session[SESSION_KEY] = [complaint.ticket]
    session.save()
    return browser


def comment(browser: Client, complaint, **data):
    return browser.post(reverse("complaints:comment", args=[complaint.ticket]), {"text": "Masih bocor", **data})


def test_a_7000_by_7000_png_is_refused_from_its_header_without_decoding():
    # The file has no pixel data: had it been decoded it would be refused as "not a photo" instead.
    with pytest.raises(ValidationError) as error:
        process_photo(photo(png_header_only(7000, 7000), "bom.png"))
    assert "piksel gambar terlalu banyak" in error.value.messages[0]


def test_the_pixel_limit_is_a_setting(settings):
    settings.COMPLAINTS_PHOTO_MAX_PIXELS = 800 * 600 - 1
    with pytest.raises(ValidationError) as error:
        process_photo(photo(jpeg_bytes(size=(800, 600))))
    assert "piksel" in error.value.messages[0]


def test_photos_for_a_ticket_without_room_are_refused_before_decoding():
    complaint = ComplaintFactory()
    for _ in range(3):
        ComplaintPhoto.objects.create(complaint=complaint, image=process_photo(photo()))
    response = comment(reporter_of(complaint), complaint, photos=[photo(b"not an image at all", "x.jpg")])
    body = response.content.decode()
    assert "masih dapat menambahkan 0 foto" in body
    assert "bukan foto" not in body
    assert complaint.photos.count() == 3


def test_comments_are_limited_per_client(settings):
    settings.COMPLAINTS_COMMENT_RATE_PER_CLIENT = "2/h"
    first, second = ComplaintFactory(), ComplaintFactory()
    comment(reporter_of(first), first)
    comment(reporter_of(second), second)
    assert comment(reporter_of(first), first).status_code == 429
    assert ComplaintEvent.objects.filter(kind=ComplaintEvent.Kind.COMMENT).count() == 2


def test_comments_are_limited_per_ticket_whatever_the_client(settings):
    settings.COMPLAINTS_COMMENT_RATE_PER_TICKET = "2/d"
    complaint = ComplaintFactory()
    comment(reporter_of(complaint, "203.0.113.7"), complaint)
    comment(reporter_of(complaint, "198.51.100.9"), complaint)
    assert comment(reporter_of(complaint, "192.0.2.1"), complaint).status_code == 429
    assert complaint.events.filter(kind=ComplaintEvent.Kind.COMMENT).count() == 2


def test_strangers_posting_to_a_ticket_do_not_use_up_its_allowance(settings):
    settings.COMPLAINTS_COMMENT_RATE_PER_TICKET = "1/d"
    complaint = ComplaintFactory()
    for _ in range(3):
        assert comment(Client(), complaint).status_code == 404
    comment(reporter_of(complaint), complaint)
    assert complaint.events.filter(kind=ComplaintEvent.Kind.COMMENT).count() == 1


def test_a_stored_photo_gets_a_small_thumbnail_served_on_the_ticket_page():
    complaint = ComplaintFactory()
    browser = reporter_of(complaint)
    comment(browser, complaint, photos=[photo(jpeg_bytes(size=(1200, 900)))])
    stored = complaint.photos.get()
    thumbnail_url = reverse("complaints:photo-thumbnail", args=[stored.pk])
    assert thumbnail_url in browser.get(reverse("complaints:ticket", args=[complaint.ticket])).content.decode()
    served = b"".join(browser.get(thumbnail_url).streaming_content)
    with Image.open(io.BytesIO(served)) as image:
        assert image.size == (THUMBNAIL_SIDE, THUMBNAIL_SIDE * 3 // 4)


def test_the_thumbnail_is_as_private_as_the_photo(other_customer):
    complaint = ComplaintFactory()
    comment(reporter_of(complaint), complaint, photos=[photo()])
    stranger = Client()
    stranger.force_login(other_customer)
    assert stranger.get(reverse("complaints:photo-thumbnail", args=[complaint.photos.get().pk])).status_code == 404


def test_a_photo_stored_before_thumbnails_existed_shows_the_photo_itself():
    complaint = ComplaintFactory()
    stored = ComplaintPhoto.objects.create(complaint=complaint, image=process_photo(photo(jpeg_bytes(size=(400, 300)))))
    response = reporter_of(complaint).get(reverse("complaints:photo-thumbnail", args=[stored.pk]))
    served = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(served)) as image:
        assert image.size == (400, 300)
