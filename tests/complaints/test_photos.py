import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from complaints.photos import MAX_SIDE, process_photo, process_photos
from tests.complaints.images import jpeg_bytes

GPS_IFD = 0x8825


def upload(content: bytes, name: str = "foto.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (8.0, 35.0, 0.0), 3: "E", 4: (116.0, 7.0, 0.0)})
    return jpeg_bytes(exif=exif.tobytes())


def test_a_text_file_renamed_to_jpg_is_refused_as_not_a_photo():
    with pytest.raises(ValidationError) as error:
        process_photo(upload(b"%PDF-1.4 this is not an image at all" * 10, "pipa.jpg"))
    assert "bukan foto" in error.value.messages[0]


def test_a_truncated_jpeg_is_refused():
    with pytest.raises(ValidationError):
        process_photo(upload(jpeg_bytes()[:200]))


def test_a_file_over_the_size_limit_is_refused_before_decoding(settings):
    settings.COMPLAINTS_PHOTO_MAX_BYTES = 50_000
    big = upload(jpeg_bytes() + b"\0" * 60_000)
    with pytest.raises(ValidationError) as error:
        process_photo(big)
    assert "terlalu besar" in error.value.messages[0]


def test_an_image_with_too_many_pixels_is_refused():
    buffer = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(buffer, format="PNG")  # 60 MP, yet a tiny file
    with pytest.raises(ValidationError) as error:
        process_photo(upload(buffer.getvalue(), "besar.png"))
    assert "piksel" in error.value.messages[0]


def test_a_large_photo_is_resized_to_the_longest_side_limit():
    result = process_photo(upload(jpeg_bytes(size=(4000, 3000))))
    with Image.open(result) as image:
        assert max(image.size) == MAX_SIDE
        assert image.format == "JPEG"


def test_location_metadata_is_stripped():
    original = with_gps()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(GPS_IFD), "the test photo must carry a GPS position"
    result = process_photo(upload(original))
    with Image.open(result) as image:
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert not exif


def test_a_png_is_accepted_and_stored_as_jpeg():
    buffer = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 0, 0, 0)).save(buffer, format="PNG")
    result = process_photo(upload(buffer.getvalue(), "layar.png"))
    assert result.name.endswith(".jpg")


def test_more_than_three_photos_are_refused():
    with pytest.raises(ValidationError) as error:
        process_photos([upload(jpeg_bytes()) for _ in range(4)])
    assert "3" in error.value.messages[0]


def test_every_bad_file_of_a_batch_is_reported():
    with pytest.raises(ValidationError) as error:
        process_photos([upload(b"nope", "a.jpg"), upload(jpeg_bytes()), upload(b"nope", "b.jpg")])
    assert len(error.value.messages) == 2
