"""Photos people send (a leak report, a meter stand): accepted only if Pillow reads them as an image, then
re-encoded.

Re-encoding is what strips location metadata (EXIF GPS) and anything hidden after the image data; the
original bytes are never stored. The moment the camera took the picture is the one fact worth keeping from the
metadata (staff check that a meter photo is recent): `capture_time` reads it before it is dropped.
"""

import io
import uuid
import warnings
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 1600
THUMBNAIL_SIDE = 160  # the pages show photos 160 px wide
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}
_EXIF_IFD = 0x8769
_DATE_TIME_ORIGINAL = 0x9003
_DATE_TIME = 0x0132


def _refuse(upload: "UploadedFile[bytes]", message: str) -> ValidationError:
    return ValidationError(
        _("%(name)s: %(problem)s") % {"name": upload.name or _("photo"), "problem": message}, code="bad_photo"
    )


def clean_photo(upload: "UploadedFile[bytes]", *, max_bytes: int, max_pixels: int) -> "ContentFile[bytes]":
    """Check one uploaded file and return it as a clean JPEG (longest side at most 1600 px, no metadata).

    Raises ValidationError with a message for the sender when the file is not a usable photo.
    """
    if upload.size is not None and upload.size > max_bytes:
        limit = filesizeformat(max_bytes)
        raise _refuse(upload, _("the file is too large; photos may be at most %(limit)s.") % {"limit": limit})
    not_a_photo = _refuse(upload, _("this file is not a photo. Please choose a JPEG or PNG picture."))
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise not_a_photo
                # Read from the header: a small file can declare a huge canvas (a "decompression bomb") whose
                # decoding alone would take seconds of CPU and hundreds of MiB, so refuse before decoding.
                if probe.width * probe.height > max_pixels:
                    raise _refuse(upload, _("the picture has too many pixels. Please send a smaller photo."))
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as opened:
                opened.load()
                image = ImageOps.exif_transpose(opened).convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(upload, _("the picture has too many pixels. Please send a smaller photo.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_a_photo from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    output = io.BytesIO()
    # No exif= argument: the saved JPEG carries no EXIF block at all, so no GPS position either.
    image.save(output, format="JPEG", quality=82, optimize=True)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def capture_time(upload: "UploadedFile[bytes]") -> datetime | None:
    """When the camera says it took the photo (EXIF DateTimeOriginal, else DateTime), in the utility's time zone;
    None when the file carries no such date or an unreadable one. Call it on a file `clean_photo` accepted."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            exif = image.getexif()
            raw = exif.get_ifd(_EXIF_IFD).get(_DATE_TIME_ORIGINAL) or exif.get(_DATE_TIME)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        upload.seek(0)
    try:
        # Cameras write local wall-clock time without a zone: read it as the utility's own.
        taken = datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    return timezone.make_aware(taken)


def thumbnail_of(photo: "ContentFile[bytes]") -> "ContentFile[bytes]":
    """A small JPEG of an already processed photo, for the pages' galleries."""
    photo.seek(0)
    with Image.open(photo) as image:
        image.draft("RGB", (THUMBNAIL_SIDE, THUMBNAIL_SIDE))  # JPEG decodes straight at a reduced scale
        image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        output = io.BytesIO()
        image.convert("RGB").save(output, format="JPEG", quality=80, optimize=True)
    photo.seek(0)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}-thumb.jpg")
