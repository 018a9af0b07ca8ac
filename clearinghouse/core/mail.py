"""E-mail that leaves through the job queue, so a slow mail server never holds up a page."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from clearinghouse.core.tasks import deliver_email


class QueuedEmailBackend(BaseEmailBackend):
    """Queues each message; the worker delivers it with settings.EMAIL_DELIVERY_BACKEND."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        queued = 0
        for message in email_messages:
            deliver_email(message)
            queued += 1
        return queued
