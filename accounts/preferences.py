"""What a person chose about their messages: channels per kind and their WhatsApp consent.

Who hears what is decided from these in `accounts.recipients`; this module only records the choices.
"""

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone

from accounts.models import Notification, User
from accounts.recipients import Kind

WHATSAPP = Notification.Channel.WHATSAPP


def save_channel_choices(user: User, per_kind: Mapping[Kind, Sequence[str]], *, via: str) -> None:
    """Store the channels chosen per kind (an empty choice: the kind follows the person's usual channels) and
    keep the WhatsApp consent in step: recorded with when and `via` (how) the first time WhatsApp is chosen
    anywhere, withdrawn when it is chosen nowhere. Saves only these fields of the user."""
    user.channel_preferences = {str(kind): list(channels) for kind, channels in per_kind.items() if channels}
    wants_whatsapp = user.notify_whatsapp or any(WHATSAPP in chosen for chosen in user.channel_preferences.values())
    if wants_whatsapp and user.whatsapp_opt_in_at is None:
        user.whatsapp_opt_in_at, user.whatsapp_opt_in_via = timezone.now(), via
    elif not wants_whatsapp:
        user.whatsapp_opt_in_at, user.whatsapp_opt_in_via = None, ""
    with transaction.atomic():
        user.save(update_fields=["channel_preferences", "whatsapp_opt_in_at", "whatsapp_opt_in_via"])
