"""What billing tells the rest of the portal, without knowing who listens (complaints must not be imported here)."""

from django.dispatch import Signal

# Sent inside the transaction that answered a questioned bill, with `dispute` (a BillDispute whose outcome,
# explanation and resolved_by are set) and `replacement` (the new Bill when the bill was corrected, else None).
# `portal` resolves the linked ticket so that the customer reads the explanation and can rate the answer.
bill_dispute_resolved = Signal()
