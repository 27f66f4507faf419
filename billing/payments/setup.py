"""Wiring of payments into the billing app, called from BillingConfig.ready()."""

from accounts import roles


def ready() -> None:
    from billing.payments import receipts, tasks  # noqa: F401 (register the receipt PDF renderer and the tasks)

    roles.grant(
        roles.COUNTER,
        "billing.take_cash",
        "billing.view_payment",
        "billing.view_receipt",
        "billing.view_cash_report",
    )
    roles.grant(roles.SUPERVISOR, "billing.reverse_payment")
