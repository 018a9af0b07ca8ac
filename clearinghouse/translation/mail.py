"""E-mails to the people who asked for a translation, each in their own language: when it is
published, and when the request is declined or withdrawn."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.urls import reverse

from clearinghouse.core.mail import send_templated, site_url
from clearinghouse.publishing import registry
from clearinghouse.publishing.notifications import is_quiet
from clearinghouse.translation.models import TranslationRequest


def after_commit(send: Callable[[TranslationRequest], None], request: TranslationRequest) -> None:
    if not is_quiet():
        transaction.on_commit(lambda: send(request))


def _send(request: TranslationRequest, template: str) -> None:
    record = registry.find(request.identifier)
    url = site_url(reverse("resolve", args=[request.identifier]))
    for requester in request.requesters.select_related("person"):
        person = requester.person
        if not person.email or not person.is_active:
            continue
        send_templated(
            f"translation/email/{template}",
            {"request": request, "record": record, "url": url, "person": person},
            to=person.email,
            language=person.preferred_language,
        )


def published(request: TranslationRequest) -> None:
    _send(request, "published")


def closed(request: TranslationRequest) -> None:
    _send(request, "closed")
