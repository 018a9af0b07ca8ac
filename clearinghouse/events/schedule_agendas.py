"""Each round-table participant's agenda: their meetings in time order (the time where the event
is, the table, who with, what about, links to the other's items), as a page, a PDF, an iCal file
and an e-mail in their language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from clearinghouse.core.mail import send_templated, site_host, site_url
from clearinghouse.core.multilingual import show
from clearinghouse.events.models import BroughtItem, Event, Meeting, Registration, RegistrationStatus
from clearinghouse.publishing import registry
from clearinghouse.publishing.documents import PdfUnavailableError


def zone_name(event: Event) -> str:
    return event.time_zone or "UTC"


def local_time(event: Event, moment: datetime) -> str:
    """A moment as people at the event read it: date and time there, with the zone's name."""
    local = timezone.localtime(moment, event.zone)
    return _("%(time)s (%(zone)s)") % {
        "time": formats.date_format(local, "DATETIME_FORMAT"),
        "zone": zone_name(event),
    }


def slot_label(event: Event, starts_at: datetime, ends_at: datetime) -> str:
    """A slot as people at the event read it: its day and times there, with the zone's name."""
    start = timezone.localtime(starts_at, event.zone)
    end = timezone.localtime(ends_at, event.zone)
    return _("%(start)s to %(end)s (%(zone)s)") % {
        "start": formats.date_format(start, "DATETIME_FORMAT"),
        "end": formats.time_format(end, "TIME_FORMAT"),
        "zone": zone_name(event),
    }


def meetings_of(registration: Registration) -> Q:
    return Q(request__requester=registration) | Q(request__invitee=registration)


def event_title(event: Event) -> str:
    return show(event.title or {}, event.original_language).text or event.identifier


@dataclass(frozen=True)
class Item:
    """A need, request or offer, by its identifier, with its title in the reader's language."""

    identifier: str
    title: str
    url: str


def _item(identifier: str) -> Item:
    record = registry.find(identifier)
    title = identifier
    if record is not None and getattr(record, "live", False):
        title = show(getattr(record, "title", None) or {}, record.original_language).text or identifier
    return Item(identifier, title, reverse("resolve", args=[identifier]))


@dataclass(frozen=True)
class Entry:
    meeting: Meeting
    starts_at: datetime  # in the event's time zone
    ends_at: datetime
    table: str
    other: Registration
    about: Item | None
    their_items: list[Item]


def agenda(registration: Registration) -> list[Entry]:
    """The person's meetings in time order, with what the page, the PDF and the e-mail show."""
    event = registration.event
    meetings = list(
        Meeting.objects.filter(meetings_of(registration))
        .select_related("slot", "table", "request__requester", "request__invitee")
        .order_by("slot__starts_at")
    )
    others = [meeting.request.other(registration) for meeting in meetings]
    brought: dict[int, list[str]] = {}
    for owner, identifier in BroughtItem.objects.filter(registration__in=others).values_list(
        "registration", "identifier"
    ):
        brought.setdefault(owner, []).append(identifier)
    entries = []
    for meeting, other in zip(meetings, others, strict=True):
        about = meeting.request.about
        entries.append(
            Entry(
                meeting=meeting,
                starts_at=timezone.localtime(meeting.slot.starts_at, event.zone),
                ends_at=timezone.localtime(meeting.slot.ends_at, event.zone),
                table=meeting.table.name,
                other=other,
                about=_item(about) if about else None,
                their_items=[_item(identifier) for identifier in brought.get(other.pk, [])],
            )
        )
    return entries


def language_of(registration: Registration) -> str:
    """What the person is written to in: their account's language, else the one they registered in."""
    person = registration.person
    return (person.preferred_language if person is not None else "") or registration.language


def context(registration: Registration) -> dict[str, Any]:
    event = registration.event
    return {
        "event": event,
        "event_title": event_title(event),
        "registration": registration,
        "entries": agenda(registration),
        "zone": zone_name(event),
        "published": event.schedule_published_at is not None,
    }


def ical(registration: Registration) -> bytes:
    """The agenda as an iCal file (times in UTC, which every calendar converts), in the active
    language."""
    from icalendar import Calendar
    from icalendar import Event as CalendarEvent

    event = registration.event
    calendar = Calendar()
    calendar.add("prodid", "-//Clearinghouse//round-table agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("My meetings: %(event)s") % {"event": event_title(event)})
    host = site_host()
    page = site_url(reverse("events:schedule_agenda", args=[event.identifier, registration.pk]))
    for entry in agenda(registration):
        item = CalendarEvent()
        item.add("uid", f"meeting-{entry.meeting.pk}-{registration.pk}@{host}")
        item.add("dtstamp", entry.meeting.updated_at)
        item.add("dtstart", entry.meeting.slot.starts_at.astimezone(UTC))
        item.add("dtend", entry.meeting.slot.ends_at.astimezone(UTC))
        item.add("summary", _("Meeting with %(name)s") % {"name": entry.other.name})
        place = ", ".join(part for part in (entry.table, event.venue, event.city) if part)
        item.add("location", place)
        lines = [_("Round table: %(event)s") % {"event": event_title(event)}]
        if entry.about is not None:
            lines.append(_("About: %(title)s") % {"title": f"{entry.about.title} ({entry.about.identifier})"})
        lines.append(page)
        item.add("description", "\n".join(lines))
        item.add("url", page)
        calendar.add_component(item)
    return bytes(calendar.to_ical())


def pdf(request: HttpRequest, registration: Registration) -> bytes:
    """The agenda as PDF (WeasyPrint shapes Arabic and lays out right-to-left)."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]
    except (ImportError, OSError) as error:
        raise PdfUnavailableError from error
    html = render_to_string("events/schedule/agenda_print.html", context(registration), request)
    document: bytes = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    return document


def send(event: Event, people: Iterable[int], *, changed: bool) -> int:
    """E-mail their agenda to each of ``people`` (registration ids), in their language: on
    publication, or (``changed``) when their meetings changed after it. Returns how many."""
    sent = 0
    # Someone who cancelled is not written to about the meetings they left.
    registrations = Registration.objects.filter(
        event=event, pk__in=list(people), status=RegistrationStatus.CONFIRMED
    ).select_related("person", "event")
    for registration in registrations:
        if not registration.email:
            continue

        def built(registration: Registration = registration) -> dict[str, Any]:
            values = context(registration)
            values["url"] = site_url(
                reverse("events:schedule_agenda", args=[event.identifier, registration.pk])
            )
            values["changed"] = changed
            values["when"] = [
                (entry, local_time(event, entry.meeting.slot.starts_at)) for entry in values["entries"]
            ]
            return values

        send_templated(
            "events/email/schedule_agenda", built, to=registration.email, language=language_of(registration)
        )
        sent += 1
    return sent
