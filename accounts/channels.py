"""Delivery channels of the outbox. E-mail uses Django's e-mail backends; SMS and WhatsApp go through a
provider backend named in settings (SMS_BACKEND, WHATSAPP_BACKEND) with one method, `send`."""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.module_loading import import_string

logger = logging.getLogger("tirta.outbox")


@dataclass
class RenderedMessage:
    subject: str
    text: str
    html: str = ""
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)


class MessageBackend:
    """A text-message provider (SMS gateway, WhatsApp Business API). Raise OSError for transient failures
    (network, provider busy) so the outbox retries; any other exception fails the message for good."""

    def send(self, to: str, text: str) -> None:
        raise NotImplementedError


class LogMessageBackend(MessageBackend):
    """Development default: writes the message to the log instead of sending it."""

    def send(self, to: str, text: str) -> None:
        logger.info("text message to %s: %s", to, text)


def send_email(to_name: str, to_address: str, message: RenderedMessage) -> None:
    recipient = f"{to_name} <{to_address}>" if to_name else to_address
    email = EmailMultiAlternatives(message.subject, message.text, settings.DEFAULT_FROM_EMAIL, [recipient])
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for filename, content, mimetype in message.attachments:
        email.attach(filename, content, mimetype)
    email.send(fail_silently=False)


def text_backend(channel: str) -> MessageBackend:
    path = settings.WHATSAPP_BACKEND if channel == "whatsapp" else settings.SMS_BACKEND
    return import_string(path)()
