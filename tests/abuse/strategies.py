"""Hypothesis strategies for what an attacker, a broken client or a confused person posts to a form."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from PIL import Image

INJECTIONS = [
    "' OR 1=1 --",
    "'; DROP TABLE accounts_user; --",
    '"><script>alert(1)</script>',
    "{{ 7*7 }}{% debug %}",
    "${jndi:ldap://x/a}",
    "../../../../etc/passwd",
    "%00",
    "\\x00",
    "ADU-²⁰²⁶-000001",
    "²",
    "１００１０００００４２",
    "١٠٠١٠٠٠٠٤٢",
    "0" * 40,
    "-1",
    "1e309",
    "NaN",
    "9" * 400,
    "\u202e\u200b\ufeff",
    "🚰" * 50,
]

# Any character a browser can send (lone surrogates cannot be encoded as UTF-8, so no browser sends them).
_chars = st.characters(blacklist_categories=("Cs",))
injection = st.sampled_from(INJECTIONS)
text = st.one_of(
    # Listed thrice: the known troublemakers should turn up in a few dozen examples, not once in a thousand.
    injection,
    injection,
    injection,
    st.text(_chars, max_size=40),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.builds(lambda piece, times: piece * times, st.text(_chars, min_size=1, max_size=4), st.integers(300, 3000)),
    st.text(_chars, max_size=10).map(lambda s: s + "\x00" + s),
)
# A field sent once, several times (a list where one value is expected) or left out.
value = st.one_of(text, st.lists(text, min_size=2, max_size=3))


def form(*names: str, **plausible: list[str]) -> st.SearchStrategy[dict]:
    """Every field optional and hostile; fields given as keywords also take their plausible values, so that
    hostile input in one field gets past the checks of the others and reaches the code behind the form."""
    fields = dict.fromkeys(names, value)
    fields.update({name: st.one_of(st.sampled_from(samples), value) for name, samples in plausible.items()})
    return st.fixed_dictionaries({}, optional=fields)


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


_contents = st.one_of(
    st.binary(max_size=512),
    st.just(_png_header(7000, 7000)),
    st.just(_png_header(0, 0)),
    st.just(_jpeg()),
    st.integers(1, 400).map(lambda cut: _jpeg()[:cut]),
    st.just(b"GIF89a" + b"\xff" * 32),
)
_names = st.one_of(
    st.sampled_from(["foto.jpg", "x.png", "a.php.jpg", "noextension", ".jpg", "../../etc/passwd.jpg"]),
    st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"\\/'), min_size=1, max_size=300),
)
files = st.lists(
    st.builds(lambda name, content: SimpleUploadedFile(name, content, content_type="image/jpeg"), _names, _contents),
    max_size=4,
)

# Bounded so that the suite stays fast in CI; derandomised so that a CI failure reproduces locally.
bounded = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
