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
