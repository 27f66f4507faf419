"""Photos sent with a report: accepted only if Pillow reads them as an image, then re-encoded.

Re-encoding is what strips location metadata (EXIF GPS) and anything hidden after the image data; the
original bytes are never stored.
"""

import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 3
MAX_SIDE = 1600
THUMBNAIL_SIDE = 160  # the ticket pages show photos 160 px wide
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}


def _refuse(upload: UploadedFile, message: str) -> ValidationError:
    return ValidationError(
        _("%(name)s: %(problem)s") % {"name": upload.name or _("photo"), "problem": message}, code="bad_photo"
    )


def process_photo(upload: UploadedFile) -> ContentFile:
    """Check one uploaded file and return it as a clean JPEG (longest side at most 1600 px, no metadata).

    Raises ValidationError with a message for the reporter when the file is not a usable photo.
    """
    if upload.size > settings.COMPLAINTS_PHOTO_MAX_BYTES:
        return_limit = filesizeformat(settings.COMPLAINTS_PHOTO_MAX_BYTES)
        raise _refuse(upload, _("the file is too large; photos may be at most %(limit)s.") % {"limit": return_limit})
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
                if probe.width * probe.height > settings.COMPLAINTS_PHOTO_MAX_PIXELS:
                    raise _refuse(upload, _("the picture has too many pixels. Please send a smaller photo."))
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                image = image.convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(upload, _("the picture has too many pixels. Please send a smaller photo.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_a_photo from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    output = io.BytesIO()
    # No exif= argument: the saved JPEG carries no EXIF block at all, so no GPS position either.
    image.save(output, format="JPEG", quality=82, optimize=True)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def thumbnail_of(photo: ContentFile) -> ContentFile:
    """A small JPEG of an already processed photo, for the ticket pages' gallery."""
    photo.seek(0)
    with Image.open(photo) as image:
        image.draft("RGB", (THUMBNAIL_SIDE, THUMBNAIL_SIDE))  # JPEG decodes straight at a reduced scale
        image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        output = io.BytesIO()
        image.convert("RGB").save(output, format="JPEG", quality=80, optimize=True)
    photo.seek(0)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}-thumb.jpg")


def no_room_error(room: int) -> ValidationError:
    return ValidationError(
        _("A ticket can hold %(count)d photos; you can add %(room)d more.") % {"count": MAX_PHOTOS, "room": room},
        code="too_many_photos",
    )


def process_photos(uploads: list[UploadedFile], room: int = MAX_PHOTOS) -> list[ContentFile]:
    """Validate a batch; every problem is reported at once so the reporter fixes them in one go.

    `room` is how many more photos the ticket takes: a batch that cannot fit is refused before any decoding.
    """
    if len(uploads) > room:
        if room == MAX_PHOTOS:
            raise ValidationError(
                _("You can send at most %(count)d photos.") % {"count": MAX_PHOTOS}, code="too_many_photos"
            )
        raise no_room_error(room)
    processed, errors = [], []
    for upload in uploads:
        try:
            processed.append(process_photo(upload))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return processed
