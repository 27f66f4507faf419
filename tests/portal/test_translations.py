"""Indonesian is the default language: every string in every catalogue has a translation."""

import polib
import pytest
from django.conf import settings

CATALOGUES = sorted(settings.BASE_DIR.glob("*/locale/id/LC_MESSAGES/django.po")) + sorted(
    settings.BASE_DIR.glob("locale/id/LC_MESSAGES/django.po")
)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_every_string_is_translated_to_indonesian(path):
    catalogue = polib.pofile(str(path))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_compiled_catalogues_are_up_to_date(path):
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), "run `make messages`"
    source = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(path)).translated_entries()}
    built = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(compiled)) if e.msgid}
    assert built == source, "the .mo is older than the .po: run `make messages`"
