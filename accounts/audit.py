"""The audit log: one call per staff action on money, tickets or personal data."""

from typing import Any

from django.db import models

from accounts.clients import current_client_address
from accounts.models import AuditEntry, ServiceConnection, User


def record(
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    *,
    connection: ServiceConnection | None = None,
    summary: str = "",
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> AuditEntry:
    """Write an audit entry; call it inside the transaction of the action so both commit or neither does.

    `action` is a dotted verb such as "payment.reverse"; `changes` maps a field to (before, after) and must
    be JSON-serialisable.
    """
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        connection=connection,
        summary=summary[:255],
        changes={field: [before, after] for field, (before, after) in (changes or {}).items()},
        client_address=current_client_address(),
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose values differ, as record() expects them."""
    return {key: (before.get(key), after.get(key)) for key in after if before.get(key) != after.get(key)}
