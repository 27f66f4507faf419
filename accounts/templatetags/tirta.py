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
