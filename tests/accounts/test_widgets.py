"""QuickSelect writes the markup of Django's select template itself: the same HTML, character for character."""

import pytest
from django import forms

from accounts.widgets import QuickSelect

CHOICES = [("", "All"), ("a", "Air <keruh> & bau"), ("7", "Kelurahan 7"), (8, 'Quote "here"')]
GROUPED = [("", "Any"), ("Kecamatan Utara", [("1", "Satu"), ("2", "Dua")]), ("3", "Tiga")]


def both(choices, value, attrs=None) -> tuple[str, str]:
    django_select = forms.Select(choices=choices)
    quick = QuickSelect(choices=choices)
    return (
        str(django_select.render("area", value, attrs=attrs)),
        str(quick.render("area", value, attrs=attrs)),
    )


@pytest.mark.parametrize("value", [None, "", "a", "7", 8, "missing"])
def test_a_quick_select_renders_what_django_renders_for_each_selection(value):
    expected, quick = both(CHOICES, value, attrs={"id": "filter_area"})
    assert quick == expected


def test_a_quick_select_renders_option_groups_like_django():
    expected, quick = both(GROUPED, "2", attrs={"id": "x", "required": True, "data-off": False})
    assert quick == expected


def test_a_quick_select_escapes_labels_and_values():
    _, quick = both(CHOICES, None)
    assert "Air &lt;keruh&gt; &amp; bau" in quick
    assert "&quot;here&quot;" in quick
