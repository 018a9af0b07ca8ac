"""E-mail that leaves through the job queue, so a slow mail server never holds up a page, and
the one way the platform writes an e-mail: from templates, in the recipient's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from email.utils import formataddr, parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

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


def site_name() -> str:
    """The platform's name in the active language, or the name SITE_NAME sets for all."""
    return settings.SITE_NAME or gettext("Clearinghouse")


def site_address() -> str:
    """The platform's address as people read it (SITE_URL without a trailing slash)."""
    return settings.SITE_URL.rstrip("/")


def site_host() -> str:
    return urlsplit(settings.SITE_URL).netloc or site_address()


def sender() -> str:
    """DEFAULT_FROM_EMAIL, shown under the platform's name in the active language unless the
    setting names a sender itself."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return settings.DEFAULT_FROM_EMAIL if name else formataddr((site_name(), address))


def signature() -> str:
    """The closing lines of every plain-text e-mail: the platform's name and address."""
    return render_to_string(
        "core/email/signature.txt", {"site_name": site_name(), "site_url": site_address()}
    )


def html_version(body: str) -> str:
    """The HTML part of an e-mail whose text is ``body`` (already signed): the same words, under
    the platform's name, links made clickable. Rendered in the active language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return render_to_string(
        "core/email/message.html",
        {
            "body": body,
            "site_name": site_name(),
            "site_url": site_address(),
            "html_lang": translation.to_locale(language).replace("_", "-"),
            "bidi": translation.get_language_bidi(),
        },
    )


def compose(subject: str, body: str, to: Sequence[str], *, html: str | None = None) -> EmailMultiAlternatives:
    """A message in the platform's dress: signed, from the platform's name, with an HTML part
    (``html`` when a template writes one, else the text's own). Call in the recipient's language."""
    text = body.rstrip() + "\n\n" + signature()
    message = EmailMultiAlternatives(subject, text, sender(), list(to))
    message.attach_alternative(html or html_version(text), "text/html")
    return message


def send_templated(template: str, context: Context, *, to: str, language: str, html: bool = False) -> None:
    """Send one e-mail written from ``<template>_subject.txt`` and ``<template>_message.txt``
    (and ``<template>_message.html`` for the HTML part when ``html``; otherwise the HTML part
    carries the text), rendered in ``language``, the recipient's. A callable ``context`` is built
    in that language too, so the dates, names and reversed links it holds are the recipient's.
    Queued like every message."""
    with translation.override(language):
        values = context() if callable(context) else context
        subject = render_to_string(f"{template}_subject.txt", values).strip()
        body = render_to_string(f"{template}_message.txt", values)
        html_body = render_to_string(f"{template}_message.html", values) if html else None
        message = compose(subject, body, [to], html=html_body)
    message.send()
