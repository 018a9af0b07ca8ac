"""An event's dates as a reader sees them: in the event's own time zone, named, with its offset
from UTC, written as the reader's locale writes dates and times."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from clearinghouse.core import time_zones
from clearinghouse.events.models import Event

# Times on the 24-hour clock, read the same way everywhere an event gathers people.
CLOCK = "H:i"


def offset(moment: datetime) -> str:
    """UTC+03:00, UTC−05:00, UTC."""
    delta = moment.utcoffset()
    if not delta:
        return "UTC"
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def moment_text(moment: datetime) -> str:
    return _("%(date)s, %(time)s") % {
        "date": date_format(moment, "DATE_FORMAT"),
        "time": time_format(moment, CLOCK),
    }


@dataclass(frozen=True)
class Span:
    """The start and end of an event in one time zone."""

    starts: datetime | None
    ends: datetime | None
    zone_name: str

    @property
    def zone_label(self) -> str:
        moment = self.starts or self.ends
        if moment is None or self.zone_name == "UTC":
            return self.zone_name
        return f"{self.zone_name}, {offset(moment)}"

    def __str__(self) -> str:
        if self.starts is None:
            return ""
        start = moment_text(self.starts)
        if self.ends is None or self.ends == self.starts:
            text = start
        elif self.ends.date() == self.starts.date():
            text = _("%(start)s–%(end)s") % {"start": start, "end": time_format(self.ends, CLOCK)}
        else:
            text = _("%(start)s – %(end)s") % {"start": start, "end": moment_text(self.ends)}
        return _("%(dates)s (%(zone)s)") % {"dates": text, "zone": self.zone_label}


def in_zone(event: Event, zone: zoneinfo.ZoneInfo | None = None) -> Span:
    """The event's dates in ``zone`` (its own when none is given)."""
    zone = zone or event.zone
    return Span(
        event.starts_at.astimezone(zone) if event.starts_at else None,
        event.ends_at.astimezone(zone) if event.ends_at else None,
        str(zone.key),
    )


def span(event: Event) -> str:
    """The event's dates in its own time zone, as one line of text."""
    return str(in_zone(event))


def reader_zone(name: str) -> zoneinfo.ZoneInfo | None:
    """The time zone a reader asked to see the dates in (``?tz=``); None when unknown."""
    if not name or name not in time_zones.known():
        return None
    return zoneinfo.ZoneInfo(name)
