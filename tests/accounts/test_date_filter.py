"""The templates' `date` filter (accounts/templatetags/dates.py) answers exactly as Django's does."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Engine, Template
from django.template.defaultfilters import date as django_date
from django.utils import timezone, translation

from accounts.templatetags import dates

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "var", "node_modules", ".git"}


def formats_in_templates() -> set[str]:
    found = set()
    for path in ROOT.rglob("*"):
        if path.suffix in {".html", ".txt"} and not SKIP & set(path.relative_to(ROOT).parts):
            found.update(re.findall(r"""\|date:["']([^"']*)["']""", path.read_text(encoding="utf-8")))
    return found


FORMATS = sorted(
    formats_in_templates() | {"j M H:i", "l, j F Y", r"\Y\e\a\r Y", "N j, Y", "DATE_FORMAT", "SHORT_DATE_FORMAT", ""}
)
AWARE = timezone.localtime(datetime.datetime(2026, 1, 4, 23, 5, 9, tzinfo=datetime.UTC))
VALUES = [
    AWARE,
    AWARE.replace(month=12, day=31, hour=0, minute=0, second=0),
    datetime.datetime(2026, 5, 9, 7, 3, 1),  # naive
    datetime.date(2026, 8, 17),
    datetime.date(999, 2, 1),
    None,
    "",
    "2026-12-01",
]


def test_the_templates_use_this_date_filter():
    assert Engine.get_default().template_builtins[-1].filters["date"] is dates.date
    assert formats_in_templates() >= {"F Y", "j M Y H:i"}


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("format_string", [*FORMATS, None])
def test_every_format_reads_as_djangos_date_filter_would(language, format_string):
    with translation.override(language):
        for value in VALUES:
            try:
                expected = django_date(value, format_string)
            except TypeError:  # time characters for a date
                with pytest.raises(TypeError):
                    dates.date(value, format_string)
            else:
                assert dates.date(value, format_string) == expected, (value, format_string)


def test_a_rendered_page_shows_the_local_time_in_the_active_language():
    with translation.override("id"):
        rendered = Template('{{ moment|date:"j M Y H:i" }} · {{ day|date:"l, j F Y" }}').render(
            Context({"moment": datetime.datetime(2026, 12, 30, 16, 5, tzinfo=datetime.UTC), "day": AWARE.date()})
        )
    assert rendered == "31 Des 2026 00:05 · Senin, 5 Januari 2026"
