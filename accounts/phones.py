"""Phone numbers as customers type them (0812…, +62 812…, 62812…, with spaces or dashes), stored as E.164."""

import phonenumbers
from django.conf import settings

from accounts.text import ascii_digits, fold


class InvalidPhoneNumber(ValueError):
    pass


def normalise_phone(raw: str, *, mobile_only: bool = True) -> str:
    """Return the Indonesian number in E.164 (`+6281234567890`) or raise InvalidPhoneNumber.

    `62812…` without a plus is how many people copy numbers from WhatsApp; it is read as international.
    """
    text = fold(raw).strip()
    digits = ascii_digits(text)
    if not digits:
        raise InvalidPhoneNumber(raw)
    if not text.startswith("+") and digits.startswith("62"):
        text = "+" + digits
    try:
        number = phonenumbers.parse(text, settings.PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise InvalidPhoneNumber(raw) from None
    # SMS and WhatsApp providers here only reach Indonesian numbers.
    if not phonenumbers.is_valid_number_for_region(number, settings.PHONE_REGION):
        raise InvalidPhoneNumber(raw)
    if mobile_only and phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise InvalidPhoneNumber(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """`+6281234567890` → `0812-3456-7890`-like national format for screens and receipts."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
