"""Photos sent with a report: the checks and re-encoding are the shared ones of accounts.photos, with the
complaints' own size limits and the number of photos a ticket holds."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from accounts.photos import MAX_SIDE, THUMBNAIL_SIDE, clean_photo, thumbnail_of

__all__ = [
    "MAX_PHOTOS",
    "MAX_SIDE",
    "THUMBNAIL_SIDE",
    "no_room_error",
    "process_photo",
    "process_photos",
    "thumbnail_of",
]

MAX_PHOTOS = 3


def process_photo(upload: UploadedFile) -> ContentFile:
    """One uploaded file as a clean JPEG within the complaints' limits (see accounts.photos.clean_photo)."""
    return clean_photo(
        upload, max_bytes=settings.COMPLAINTS_PHOTO_MAX_BYTES, max_pixels=settings.COMPLAINTS_PHOTO_MAX_PIXELS
    )


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
