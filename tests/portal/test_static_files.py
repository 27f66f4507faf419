"""Static files as production serves them: hashed names, compressed by WhiteNoise, brotli first."""

import gzip

import brotli
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import override_settings

HTMX = "vendor/htmx/htmx.min.js"
HTMX_SOURCE = django_settings.BASE_DIR / "static" / HTMX
WIRE_LIMIT = 20 * 1024


PRODUCTION_STORAGE = {"BACKEND": "portal.storage.StaticFilesStorage"}


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """collectstatic once for the module, with the production storage, into a scratch STATIC_ROOT (admin files
    skipped for speed): compressing every file takes most of a minute."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES={**django_settings.STORAGES, "staticfiles": PRODUCTION_STORAGE}):
        call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin"])
    return root


@pytest.fixture
def collected(settings, static_root):
    """The collected files served as production serves them."""
    settings.STATIC_ROOT = static_root
    settings.STORAGES = {**settings.STORAGES, "staticfiles": PRODUCTION_STORAGE}


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


@pytest.mark.usefixtures("collected")
def test_a_static_url_names_the_hashed_file_every_time_it_is_asked_for():
    first = static(HTMX)
    assert first.startswith(f"{django_settings.STATIC_URL}vendor/htmx/htmx.min.")
    assert first != f"{django_settings.STATIC_URL}{HTMX}"
    assert static(HTMX) == first


@pytest.mark.usefixtures("collected")
def test_a_file_missing_from_the_manifest_is_refused_every_time_not_remembered():
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            static("css/no-such-file.css")
