"""The `date` filter of every template (a template builtin, see TEMPLATES in the settings), without Django's
per-call formatter for the format characters the pages use.

Django builds a `DateFormat`, splits the format with a regular expression and looks each character up as a method
on every call: 15–20 µs, dozens of times on the signed-in pages (each row of a bill or payment history, each bar of
the usage chart). Here each format is split once and its characters are plain functions; a format, a value or a
character not covered below (named formats such as "DATE_FORMAT", time zones, strings) goes to Django's filter, so
the output is Django's in every case (`tests/accounts/test_date_filter.py` compares them).
"""

import datetime
from collections.abc import Callable
from functools import lru_cache

from django import template
from django.template.defaultfilters import date as django_date
from django.utils.dateformat import re_escaped, re_formatchars
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS
from django.utils.formats import FORMAT_SETTINGS

register = template.Library()

# Each one returns what the DateFormat method of the same letter returns, as text.
_DATE_FIELDS: dict[str, Callable[[datetime.date], str]] = {
    "j": lambda value: str(value.day),
    "d": lambda value: f"{value.day:02d}",
    "n": lambda value: str(value.month),
    "m": lambda value: f"{value.month:02d}",
    "Y": lambda value: f"{value.year:04d}",
    "F": lambda value: str(MONTHS[value.month]),
    "M": lambda value: MONTHS_3[value.month].title(),
    "l": lambda value: str(WEEKDAYS[value.weekday()]),
}
_TIME_FIELDS: dict[str, Callable[[datetime.datetime], str]] = {
    "H": lambda value: f"{value.hour:02d}",
    "i": lambda value: f"{value.minute:02d}",
    "s": lambda value: f"{value.second:02d}",
}
_FIELDS = {**_DATE_FIELDS, **_TIME_FIELDS}


@lru_cache(maxsize=256)
def _compile(format_string: str) -> tuple[tuple[tuple[str, Callable | None], ...], bool] | None:
    """The format's pieces (literal text, or a field function) and whether it shows a time; None when a character
    is not covered."""
    pieces = []
    has_time = False
    for index, piece in enumerate(re_formatchars.split(format_string)):
        if index % 2:
            field = _FIELDS.get(piece)
            if field is None:
                return None
            has_time = has_time or piece in _TIME_FIELDS
            pieces.append(("", field))
        elif piece:
            pieces.append((re_escaped.sub(r"\1", piece), None))
    return tuple(pieces), has_time


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's `date` filter, faster for the common formats."""
    compiled = (
        _compile(arg)
        if arg and isinstance(arg, str) and arg not in FORMAT_SETTINGS and isinstance(value, datetime.date)
        else None
    )
    if compiled is None:
        return django_date(value, arg)
    pieces, has_time = compiled
    if has_time and not isinstance(value, datetime.datetime):
        return django_date(value, arg)  # Django refuses time characters for a date, and so must this
    return "".join(text if field is None else field(value) for text, field in pieces)
