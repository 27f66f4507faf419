"""Celery tasks of payments: thin wrappers around the services."""

from celery import shared_task

from billing.payments import reconcile, services


@shared_task(name="billing.payments.expire_pending")
def expire_pending() -> int:
    return services.expire_pending()


@shared_task(name="billing.payments.reconcile_pending")
def reconcile_pending() -> int:
    return reconcile.reconcile_pending()
