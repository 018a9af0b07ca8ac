"""What schema.org's ``Event`` says of an event beyond what every record's description holds
(publishing.linked_data), so that search engines and calendars find its dates, place and
organiser. Registered as the type's ``linked_data`` (events/records.py)."""

from __future__ import annotations

from typing import Any

from clearinghouse.core.multilingual import show
from clearinghouse.events.ical import plain
from clearinghouse.events.models import Attendance, Event

_MODES = {
    Attendance.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Attendance.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Attendance.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


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


def data(event: Event, language: str) -> dict[str, Any]:
    """What an event adds to the description every record gets (publishing.linked_data): its
    dates, status, attendance mode, place and organiser, its description as plain text, the
    languages it is held in."""
    zone = event.zone
    found: dict[str, Any] = {
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
        found["organizer"] = {
            "@type": "Organization",
            "name": event.owner_organisation.display_name(language),
        }
    elif event.owner_country is not None:
        found["organizer"] = {"@type": "GovernmentOrganization", "name": event.owner_country.name(language)}
    return found
