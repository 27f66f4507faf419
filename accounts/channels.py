"""Delivery channels of the outbox. E-mail uses Django's e-mail backends; SMS and WhatsApp go through a
provider backend named in settings (SMS_BACKEND, WHATSAPP_BACKEND) with one method, `send`."""

import logging
import re
import smtplib
from dataclasses import dataclass, field
from email.headerregistry import Address

from anymail.exceptions import AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.module_loading import import_string

from accounts.models import Notification

logger = logging.getLogger("tirta.outbox")

# RFC 3463 enhanced status codes 5.1.x: the destination address itself is bad (no such mailbox, domain).
_BAD_ADDRESS = re.compile(rb"^\s*5\.1\.\d")


@dataclass
class RenderedMessage:
    subject: str
    text: str
    html: str = ""
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


class PermanentFailure(Exception):
    """The provider refused the message for good: trying again cannot help.

    `unreachable`: the refusal is about the address (no such user), so the contact cannot be reached on this
    channel at all, not just with this message.
    """

    def __init__(self, reason: str, *, unreachable: bool) -> None:
        super().__init__(reason)
        self.unreachable = unreachable


class MessageBackend:
    """A text-message provider (SMS gateway, WhatsApp Business API). Raise OSError for transient failures
    (network, provider busy) so the outbox retries, PermanentFailure for a refusal that will not change
    (unknown number); any other exception fails the message for good."""

    def send(self, to: str, text: str) -> None:
        raise NotImplementedError

    def deliver(self, notification: Notification, message: RenderedMessage) -> str:
        """Send one outbox message and return the provider's id for it ("" when it gives none), which its
        delivery-status webhook names later. Providers that only carry text need not override this."""
        self.send(notification.to_address, message.text)
        return ""


class LogMessageBackend(MessageBackend):
    """Development default: writes the message to the log instead of sending it."""

    def send(self, to: str, text: str) -> None:
        logger.info("text message to %s: %s", to, text)


def send_email(
    to_name: str, to_address: str, message: RenderedMessage, message_id: str, connection: BaseEmailBackend | None = None
) -> str:
    """Send one e-mail and return the provider's id for it (an API provider's through django-anymail, else "");
    SMTP 5xx answers raise PermanentFailure, other SMTP and network errors OSError.

    `message_id` stays the same for every attempt at the same message, so a receiver can drop a repeat
    (a worker killed after the server accepted the mail but before the row was marked sent). `connection`: an
    open e-mail backend to reuse (a worker's batch), else one is opened for this message.
    """
    # Address quotes a name holding a comma ("Zahra Melani, S.Psi"), which would otherwise split the address.
    recipient = str(Address(display_name=to_name, addr_spec=to_address))
    email = EmailMultiAlternatives(
        message.subject,
        message.text,
        settings.DEFAULT_FROM_EMAIL,
        [recipient],
        headers={**message.headers, "Message-ID": message_id},
        connection=connection,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for filename, content, mimetype in message.attachments:
        email.attach(filename, content, mimetype)
    try:
        email.send(fail_silently=False)
    except AnymailRecipientsRefused as exc:  # the provider's suppression list: it bounced or complained before
        raise PermanentFailure(f"recipient refused by the provider: {exc}", unreachable=True) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        answers = list(exc.recipients.values())
        if answers and all(500 <= code < 600 for code, _ in answers):
            raise PermanentFailure(f"recipient refused: {answers}", unreachable=True) from exc
        raise
    except smtplib.SMTPResponseException as exc:
        if not 500 <= exc.smtp_code < 600:
            raise
        answer = exc.smtp_error if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error).encode()
        about_address = not isinstance(exc, smtplib.SMTPSenderRefused) and bool(_BAD_ADDRESS.match(answer))
        reason = f"{type(exc).__name__}: {exc.smtp_code} {answer.decode(errors='replace')}"
        raise PermanentFailure(reason, unreachable=about_address) from exc
    status = getattr(email, "anymail_status", None)
    provider_id = getattr(status, "message_id", None)
    return str(provider_id) if isinstance(provider_id, str | int) else ""


def text_backend(channel: str) -> MessageBackend:
    path = settings.WHATSAPP_BACKEND if channel == "whatsapp" else settings.SMS_BACKEND
    return import_string(path)()
