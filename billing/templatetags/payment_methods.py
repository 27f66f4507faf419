"""`{{ code|method_label }}`: a payment method code in words, in the language active when rendering.

For messages, whose context keeps the code and is rendered later in the recipient's language.
"""

from django import template

from billing.payments.methods import method_label as label_of

register = template.Library()


@register.filter
def method_label(code: str) -> str:
    return label_of(code or "")
