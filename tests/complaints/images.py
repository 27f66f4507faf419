"""Photos made on the fly for upload tests."""

import io

from PIL import Image


def jpeg_bytes(size=(800, 600), exif=None, color=(30, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(buffer, format="JPEG", exif=exif)
    else:
        image.save(buffer, format="JPEG")
    return buffer.getvalue()
