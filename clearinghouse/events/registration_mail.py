"""The e-mails of registration, each in the recipient's language (their account's setting, else
the language they registered in), with the link to their registration that works without an
account (see ``registration.token_for``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from clearinghouse.core.mail import send_templated, site_url
from clearinghouse.core.multilingual import show
from clearinghouse.events.models import Registration


def language_of(registration: Registration) -> str:
    person = registration.person
    if person is not None and person.preferred_language:
        return str(person.preferred_language)
    return registration.language or "en"


def _send(registration: Registration, template: str, extra: dict[str, Any] | None = None) -> None:
    from clearinghouse.events.registration import position, token_for

    registration = Registration.objects.select_related("event", "person").get(pk=registration.pk)
    event = registration.event

    def built() -> dict[str, Any]:
        expires = registration.offer_expires_at
        return {
            "registration": registration,
            "event": event,
            "event_title": show(event.title, event.original_language).text or event.identifier,
            "position": position(registration),
            # The time limit as the event's clock shows it, with the zone's name.
            "offer_until": timezone.localtime(expires, event.zone) if expires else None,
            "zone": event.time_zone or "UTC",
            # Reversed here, for the link to open in the recipient's language.
            "url": site_url(reverse("events:registration_manage", args=[token_for(registration)])),
            **(extra or {}),
        }

    send_templated(
        f"events/email/registration_{template}",
        built,
        to=registration.email,
        language=language_of(registration),
    )


def registered(registration: Registration) -> None:
    """Confirmed, waiting for approval, or on the waiting list at such a position."""
    _send(registration, "registered")


def offered(registration: Registration) -> None:
    _send(registration, "offered")


def lapsed(registration: Registration) -> None:
    _send(registration, "lapsed")


def approved(registration: Registration, message: str) -> None:
    _send(registration, "approved", {"message": message})


def declined(registration: Registration, message: str) -> None:
    _send(registration, "declined", {"message": message})


def cancelled(registration: Registration, message: str) -> None:
    _send(registration, "cancelled", {"message": message})


def nominated(registration: Registration) -> None:
    nominator = registration.nominated_by
    _send(
        registration,
        "nominated",
        {
            "nominator": (nominator.get_full_name() or nominator.username) if nominator else "",
            "party": registration.nominated_for.name(language_of(registration))
            if registration.nominated_for
            else "",
        },
    )
