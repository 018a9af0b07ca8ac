"""E-mail that leaves through the job queue, so a slow mail server never holds up a page, and
the one way the platform writes an e-mail: from templates, in the recipient's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils import translation

from clearinghouse.core.tasks import deliver_email

Context = Mapping[str, Any] | Callable[[], Mapping[str, Any]]


class QueuedEmailBackend(BaseEmailBackend):
    """Queues each message; the worker delivers it with settings.EMAIL_DELIVERY_BACKEND."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        queued = 0
        for message in email_messages:
            deliver_email(message)
            queued += 1
        return queued


def site_url(path: str) -> str:
    """The absolute address of one of the platform's paths, for links that leave the site."""
    return settings.SITE_URL.rstrip("/") + path


def send_templated(template: str, context: Context, *, to: str, language: str, html: bool = False) -> None:
    """Send one e-mail written from ``<template>_subject.txt`` and ``<template>_message.txt``
    (and ``<template>_message.html`` as an alternative when ``html``), rendered in ``language``,
    the recipient's. A callable ``context`` is built in that language too, so the dates, names
    and reversed links it holds are the recipient's. Queued like every message."""
    with translation.override(language):
        values = context() if callable(context) else context
        subject = render_to_string(f"{template}_subject.txt", values).strip()
        body = render_to_string(f"{template}_message.txt", values)
        html_body = render_to_string(f"{template}_message.html", values) if html else None
    send_mail(subject, body, None, [to], html_message=html_body)
