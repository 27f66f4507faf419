"""Cash at the counter: no gateway, the cashier's confirmation settles the payment at once."""

from billing.payments.models import Payment
from billing.payments.providers.base import Checkout, PaymentProvider


class CounterProvider(PaymentProvider):
    identifier = "counter"
    online = False

    def create_checkout(self, payment: Payment, *, finish_url: str) -> Checkout:
        raise TypeError("cash payments have no checkout")

    def verify_notification(self, data: dict[str, str]) -> bool:
        return False  # nobody may settle a cash payment from outside
