"""Wiring of payments into the billing app, called from BillingConfig.ready()."""

from accounts import roles


def ready() -> None:
    from billing.payments import admin, receipts, tasks  # noqa: F401 (register the admin, PDF renderer, tasks)
    from billing.payments.sandbox import tasks as sandbox_tasks  # noqa: F401

    roles.grant(
        roles.COUNTER,
        "billing.take_cash",
        "billing.view_payment",
        "billing.view_receipt",
        "billing.view_cash_report",
    )
    roles.grant(roles.SUPERVISOR, "billing.reverse_payment")
