"""What staff change on an account at the counter: the holder's contact details and notes for colleagues.
Both are audited in the same transaction as the change."""

from django.db import transaction

from accounts import audit
from accounts.models import Customer, ServiceConnection, StaffNote, User

CONTACT_FIELDS = ("phone", "email", "address")


@transaction.atomic
def update_contact_details(
    actor: User, connection: ServiceConnection, *, phone: str, email: str, address: str
) -> dict[str, tuple[str, str]]:
    """Set the holder's contact details (phone already in E.164) and audit what changed, before and after.

    Returns the changes; saving the same details again changes and records nothing.
    """
    customer = Customer.objects.select_for_update().get(pk=connection.customer_id)
    before = {field: getattr(customer, field) for field in CONTACT_FIELDS}
    after = {"phone": phone, "email": email.strip().lower(), "address": address.strip()}
    changes = audit.diff(before, after)
    if not changes:
        return {}
    for field, (_, value) in changes.items():
        setattr(customer, field, value)
    customer.save(update_fields=list(changes))
    audit.record(
        actor,
        "customer.update_contact",
        customer,
        connection=connection,
        summary=f"{customer.name}: {', '.join(sorted(changes))}",
        changes=changes,
    )
    return changes


@transaction.atomic
def add_note(actor: User, connection: ServiceConnection, text: str) -> StaffNote:
    note = StaffNote.objects.create(connection=connection, author=actor, text=text.strip())
    audit.record(actor, "staffnote.add", note, connection=connection, summary=text.strip()[:120])
    return note


def record_view(actor: User, connection: ServiceConnection) -> None:
    """Staff opening an account page see personal data; the regulation wants that on record too."""
    audit.record(actor, "connection.view", connection, connection=connection, summary=connection.account_number)
