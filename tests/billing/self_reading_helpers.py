"""Shared pieces of the self reading tests: a reading window open every day (tests of the window set their own),
a meter photo and a connection with three months of ordinary readings (15 m³ a month) under the worked-example
tariff."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.photos import clean_photo
from billing.periods import add_months
from tests.factories.billing import MeterReadingFactory, TariffFactory

MAY = datetime.date(2026, 5, 1)
IN_WINDOW = datetime.date(2026, 5, 3)
LAST_STAND = 545


@pytest.fixture(autouse=True)
def _window_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SELF_READING_FIRST_DAY = 1
    settings.SELF_READING_LAST_DAY = 31


def jpeg(taken: str | None = None, size=(640, 480)) -> bytes:
    """A small meter photo; `taken` ("2026:05:03 07:15:00") is written as EXIF DateTimeOriginal."""
    image = Image.new("RGB", size, (40, 40, 40))
    buffer = io.BytesIO()
    if taken is None:
        image.save(buffer, format="JPEG")
    else:
        exif = Image.Exif()
        exif.get_ifd(0x8769)[0x9003] = taken
        image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def upload(taken: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile("meter.jpg", jpeg(taken), content_type="image/jpeg")


def photo():
    return clean_photo(upload(), max_bytes=10**7, max_pixels=10**8)


def with_history(connection, period=MAY):
    """Readings of the three months before `period` at 15 m³ a month, ending at LAST_STAND, and the tariff."""
    TariffFactory(customer_class=connection.customer_class)
    for months_back, stand in ((3, LAST_STAND - 30), (2, LAST_STAND - 15), (1, LAST_STAND)):
        MeterReadingFactory(
            connection=connection,
            period=add_months(period, -months_back),
            reading=stand,
            previous_reading=stand - 15,
        )
    return connection
