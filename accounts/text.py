"""Text as people type it on any keyboard or paste it from anywhere.

`str.isdigit()` is true for superscripts (`²`) and other characters that `int()` refuses, so digits are
compared and converted only after NFKC folding, which turns `²⁰²⁶` and full-width `２０２６` into `2026`.
"""

import unicodedata


def fold(text: str) -> str:
    """The NFKC form of `text`: compatibility characters (superscripts, full-width forms) become plain ones."""
    return unicodedata.normalize("NFKC", text or "")


def ascii_digits(text: str) -> str:
    """The decimal digits of `text`, in order, as ASCII: `Rp 125.500` → `125500`, `²` → `2`, `١٢` → `12`."""
    return "".join(str(unicodedata.decimal(ch)) for ch in fold(text) if ch.isdecimal())
