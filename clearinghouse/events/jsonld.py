"""schema.org ``Event`` for an event's page (JSON-LD), so that search engines and calendars that
read it find the dates, place and organiser. A data block: browsers never execute it."""

from __future__ import annotations

import json
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from clearinghouse.core.mail import site_url
from clearinghouse.core.multilingual import show
from clearinghouse.events.ical import plain
from clearinghouse.events.models import Attendance, Event

_MODES = {
    Attendance.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Attendance.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Attendance.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}
# Characters that could close the script element or start markup, written as JSON escapes.
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _place(event: Event) -> dict[str, Any]:
    address: dict[str, Any] = {"@type": "PostalAddress"}
    if event.city:
        address["addressLocality"] = event.city
    if event.venue_country is not None:
        address["addressCountry"] = event.venue_country.code
    place: dict[str, Any] = {"@type": "Place", "address": address}
    if event.venue:
        place["name"] = event.venue
    return place


def data(event: Event, language: str | None = None) -> dict[str, Any]:
    """The event as schema.org sees it, texts in the reader's language."""
    zone = event.zone
    found: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": site_url(event.get_absolute_url()),
        "identifier": event.identifier,
        "url": site_url(event.get_absolute_url()),
        "name": show(event.title, event.original_language, language).text,
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": _MODES.get(Attendance(event.attendance), _MODES[Attendance.IN_PERSON]),
    }
    description = plain(show(event.description, event.original_language, language).text)
    if description:
        found["description"] = description
    if event.starts_at:
        found["startDate"] = event.starts_at.astimezone(zone).isoformat()
    if event.ends_at:
        found["endDate"] = event.ends_at.astimezone(zone).isoformat()
    locations = []
    if event.attendance != Attendance.ONLINE and (event.venue or event.city or event.venue_country):
        locations.append(_place(event))
    if event.attendance != Attendance.IN_PERSON and event.online_url:
        locations.append({"@type": "VirtualLocation", "url": event.online_url})
    if locations:
        found["location"] = locations[0] if len(locations) == 1 else locations
    if event.languages:
        found["inLanguage"] = list(event.languages)
    if event.owner_organisation is not None:
        found["organizer"] = {"@type": "Organization", "name": event.owner_organisation.display_name()}
    elif event.owner_country is not None:
        found["organizer"] = {"@type": "GovernmentOrganization", "name": event.owner_country.name(language)}
    return found


def script_body(event: Event, language: str | None = None) -> SafeString:
    """The JSON text to put inside ``<script type="application/ld+json">``."""
    text = json.dumps(data(event, language), ensure_ascii=False, sort_keys=True).translate(_ESCAPES)
    return mark_safe(text)  # noqa: S308  # nosec B308 B703  # every <, > and & is escaped above
