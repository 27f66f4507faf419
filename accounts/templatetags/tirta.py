from datetime import date, datetime

from django import template

from accounts import formatting
from accounts.phones import display_phone

register = template.Library()


@register.filter
def rupiah(amount: int | None) -> str:
    """{{ bill.total|rupiah }} → Rp 125.500"""
    return formatting.rupiah(amount)


@register.filter
def phone(e164: str) -> str:
    """{{ customer.phone|phone }} → 0812-3456-7890"""
    return display_phone(e164)


@register.filter
def isodate(value: str) -> date | datetime | str:
    """Outbox contexts carry dates as ISO text (JSON); `{{ due_date|isodate|date:"j F Y" }}` shows them in the
    reader's language. Anything unparsable is shown as it is."""
    try:
        return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


@register.filter
def described_widget(field) -> str:
    """{{ field|described_widget }}: the input, tied by aria-describedby to its help text and its errors, so a
    screen reader reads the error when the field takes focus."""
    ids = [f"{field.auto_id}_helptext"] if field.help_text else []
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return field.as_widget(attrs={"aria-describedby": " ".join(ids)} if ids else None)
