"""Events as iCalendar (RFC 5545) files, with the icalendar package: one event, or the calendar
of all published events. Times carry the event's time zone (TZID, with its VTIMEZONE), texts are
in the reader's language and plain."""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from clearinghouse.core.mail import site_name, site_url
from clearinghouse.core.multilingual import show
from clearinghouse.events.models import Event

# The calendar of all events keeps the ones that ended lately: people look back at them.
PAST_DAYS = 90


def plain(text: str) -> str:
    """Rich text (sanitised HTML) as plain text, paragraphs kept apart."""
    spaced = text.replace("</p>", "</p>\n\n").replace("<br>", "\n").replace("</li>", "</li>\n")
    return html.unescape(strip_tags(spaced)).strip()


def location(event: Event) -> str:
    """Where the event takes place, in words: venue, city, country, or "online"."""
    parts = [event.venue, event.city]
    if event.venue_country is not None:
        parts.append(event.venue_country.name())
    place = ", ".join(part for part in parts if part)
    if event.attendance == "online":
        return _("Online")
    if event.attendance == "hybrid":
        return _("%(place)s, and online") % {"place": place} if place else _("Online")
    return place


def component(event: Event) -> CalendarEvent:
    """One VEVENT; its times in the event's time zone."""
    zone = event.zone
    item = CalendarEvent()
    item.add("uid", f"{event.identifier}@{settings.SITE_URL.split('://')[-1].strip('/')}")
    item.add("dtstamp", event.last_published_at or event.updated_at or timezone.now())
    if event.starts_at:
        item.add("dtstart", event.starts_at.astimezone(zone))
    if event.ends_at:
        item.add("dtend", event.ends_at.astimezone(zone))
    item.add("summary", show(event.title, event.original_language).text or event.identifier)
    description = plain(show(event.description, event.original_language).text)
    url = site_url(event.get_absolute_url())
    item.add("description", f"{description}\n\n{url}" if description else url)
    item.add("url", url)
    place = location(event)
    if place:
        item.add("location", place)
    if event.kind:
        item.add("categories", [event.get_kind_display()])
    if event.last_published_at:
        item.add("last-modified", event.last_published_at)
    item.add("status", "CONFIRMED")
    return item


def calendar(events: Iterable[Event], name: str) -> bytes:
    """A calendar of these events, with the time zones they use."""
    cal = Calendar()
    cal.add("prodid", f"-//{site_name()}//events//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    moments = []
    for event in events:
        cal.add_component(component(event))
        moments += [moment for moment in (event.starts_at, event.ends_at) if moment]
    if moments:
        # Only the years the events need: a zone's rules since 1970 would weigh kilobytes.
        cal.add_missing_timezones(
            first_date=(min(moments) - timedelta(days=366)).date(),
            last_date=(max(moments) + timedelta(days=366)).date(),
        )
    return bytes(cal.to_ical())


def calendar_window(now: datetime | None = None) -> datetime:
    """The earliest end an event of the calendar of all events may have."""
    return (now or timezone.now()) - timedelta(days=PAST_DAYS)
