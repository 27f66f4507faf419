from django.template import Context, Template
from django.utils import translation


def render(source: str, **context) -> str:
    return Template("{% load tirta %}" + source).render(Context(context))


def test_rupiah_uses_dots_for_thousands():
    assert render("{{ amount|rupiah }}", amount=125500) == "Rp 125.500"


def test_iso_dates_from_the_outbox_are_shown_in_the_readers_language():
    with translation.override("id"):
        assert render('{{ d|isodate|date:"j F Y" }}', d="2026-12-20") == "20 Desember 2026"


def test_isodate_reads_datetimes_and_leaves_other_text_alone():
    assert render("{{ d|isodate|date:'H:i' }}", d="2026-12-20T14:35:00+08:00") == "14:35"
    assert render("{{ d|isodate }}", d="soon") == "soon"
