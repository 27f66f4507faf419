"""Closing a customer's portal account (UU PDP 27/2022, the right to have one's data erased).

The login and everything that only serves it go: the user row, its connection links and linking attempts, its
preferences, its sent-message history and its sign-in records. Bills, payments and receipts are the utility's
financial records, which it must keep (and the billed customer, the connection's holder, is the utility's
record too): they stay, unlinked from the person. Tickets the person reported stay as records of the fault;
like an anonymous reporter's, their contact details go once the ticket has been closed for the retention
period (complaints.services.retention), so that an open leak can still be answered.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction

from accounts import audit, outbox
from accounts.models import Notification, User
from billing.payments.models import Payment


class WrongPassword(Exception):
    """The password given to confirm closing the account is not the account's."""


class NotClosable(Exception):
    """Staff accounts are closed by an administrator, not from the portal."""


def close_account(user: User, password: str) -> None:
    """Delete `user`'s portal account after checking their password; keep and unlink the financial records.

    Raises WrongPassword (nothing changes) or NotClosable. The audit entry is written in the same transaction
    and names the account only by its number.
    """
    if user.is_staff or user.is_superuser:
        raise NotClosable
    if not user.check_password(password):
        raise WrongPassword
    identifiers = [identifier for identifier in (user.email, user.phone) if identifier]
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        connections = locked.connection_links.count()
        kept_payments = Payment.objects.filter(payer=locked).update(payer=None, payer_email="")
        Notification.objects.filter(user=locked).delete()
        # A last message to the address on file: if someone else closed the account, its owner learns of it.
        outbox.notify(
            outbox.Recipient.for_contact(locked.full_name, locked.email, language=locked.language),
            "accounts/account_closed",
            {},
            f"account-closed:{locked.pk}",
        )
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__in=identifiers).delete()
        audit.record(
            locked,
            "account.close",
            locked,
            summary=f"Portal account closed by its holder: {connections} connections unlinked, "
            f"{kept_payments} payments kept without the payer",
        )
        # Cascades to connection links and linking attempts; tickets, payments and audit entries keep their
        # rows with the person's reference set to NULL.
        locked.delete()
