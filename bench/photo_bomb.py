"""Time how a comment photo of 7000 × 7000 pixels (a small PNG, a "decompression bomb") is refused, against
processing an ordinary 1200 × 900 phone photo and against merely decoding the bomb.

    .venv/bin/python bench/photo_bomb.py [--samples 20]

No database: it calls complaints.photos.process_photo directly. Prints the medians and the ratios to the
ordinary photo. Nothing is asserted.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import Image  # noqa: E402

from complaints.photos import process_photo  # noqa: E402


def encoded(size: tuple[int, int], fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format=fmt)
    return buffer.getvalue()


def median_seconds(action, samples: int) -> float:
    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=20)
    samples = parser.parse_args().samples
    photo, bomb = encoded((1200, 900), "JPEG"), encoded((7000, 7000), "PNG")

    def ordinary() -> None:
        process_photo(SimpleUploadedFile("foto.jpg", photo))

    def refused() -> None:
        try:
            process_photo(SimpleUploadedFile("bom.png", bomb))
        except ValidationError:
            return
        raise SystemExit("the 7000 × 7000 PNG was accepted")

    def decoded() -> None:
        with Image.open(io.BytesIO(bomb)) as image:
            image.load()

    base = median_seconds(ordinary, samples)
    print(f"bomb file: {len(bomb) / 1024:.0f} KiB; ordinary photo: {len(photo) / 1024:.0f} KiB")
    print(f"ordinary 1200x900 JPEG processed: {base * 1000:8.2f} ms")
    for label, action, count in (("7000x7000 PNG refused", refused, samples), ("7000x7000 PNG decoded", decoded, 3)):
        seconds = median_seconds(action, count)
        print(f"{label}:          {seconds * 1000:8.2f} ms  ratio {seconds / base:7.3f}")


if __name__ == "__main__":
    main()
