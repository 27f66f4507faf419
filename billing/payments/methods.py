"""Payment methods as people read them: the gateway's `payment_type` codes (Midtrans' names) and cash.

The one mapping from code to label; receipts, e-mails, staff pages and the cash report all go through it.
A code the gateway adds later still shows, as its code, until it gets a label here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank virtual account")
    ECHANNEL = "echannel", _("Mandiri bill payment")
    QRIS = "qris", _("QRIS")
    OTHER_QRIS = "other_qris", _("QRIS")
    GOPAY = "gopay", _("GoPay / e-wallet")
    SHOPEEPAY = "shopeepay", _("ShopeePay / e-wallet")
    CREDIT_CARD = "credit_card", _("Credit or debit card")
    CSTORE = "cstore", _("Convenience store (Indomaret / Alfamart)")
    AKULAKU = "akulaku", _("Akulaku pay later")
    KREDIVO = "kredivo", _("Kredivo pay later")
    CASH = "cash", _("Cash")


# A partner's virtual account is stored as `va:<bank name>` (see billing.partners.snap), read "VA <bank name>".
VIRTUAL_ACCOUNT_PREFIX = "va:"


def virtual_account_code(bank_name: str) -> str:
    return f"{VIRTUAL_ACCOUNT_PREFIX}{bank_name}"


def method_label(code: str) -> str:
    """The label of a payment method code; an unknown code as it is, an empty one as empty."""
    if code.startswith(VIRTUAL_ACCOUNT_PREFIX):
        return _("VA %(bank)s") % {"bank": code.removeprefix(VIRTUAL_ACCOUNT_PREFIX)}
    if code in Method.values:
        return str(Method(code).label)
    return code
