"""Static files as production serves them: hashed names, compressed by WhiteNoise, brotli first."""

import gzip

import brotli
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.templatetags.static import static

HTMX = "vendor/htmx/htmx.min.js"
HTMX_SOURCE = django_settings.BASE_DIR / "static" / HTMX
WIRE_LIMIT = 20 * 1024


@pytest.fixture
def collected(settings, tmp_path):
    """collectstatic with the production storage into a scratch STATIC_ROOT (admin files skipped for speed)."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin"])


def fetch(client, encodings: str):
    response = client.get(static(HTMX), HTTP_ACCEPT_ENCODING=encodings)
    return response, b"".join(response.streaming_content)


@pytest.mark.usefixtures("collected")
def test_htmx_goes_out_brotli_compressed_under_20_kb(client):
    response, body = fetch(client, "gzip, deflate, br")
    assert response["Content-Encoding"] == "br"
    assert len(body) < WIRE_LIMIT
    assert brotli.decompress(body) == HTMX_SOURCE.read_bytes()


@pytest.mark.usefixtures("collected")
def test_htmx_goes_out_gzip_compressed_under_20_kb_to_browsers_without_brotli(client):
    response, body = fetch(client, "gzip")
    assert response["Content-Encoding"] == "gzip"
    assert len(body) < WIRE_LIMIT
    assert gzip.decompress(body) == HTMX_SOURCE.read_bytes()
