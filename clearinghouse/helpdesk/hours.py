"""Business time of a desk: its opening hours in its time zone, less its country's public
holidays (the holidays package) and the days it closed. Service levels count in it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import holidays

from clearinghouse.helpdesk.models import Desk, opening_periods

# A calendar open on no day at all would make every search endless: give up after this long.
_HORIZON_DAYS = 3 * 366


class NeverOpenError(ValueError):
    """The desk has no opening hour within the horizon."""


@dataclass
class BusinessCalendar:
    """One desk's calendar; build it once per desk and reuse it for many tickets."""

    time_zone: ZoneInfo
    opening_hours: dict[str, list[list[str]]]
    holiday_country: str = ""
    closed_days: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def of(cls, desk: Desk) -> BusinessCalendar:
        return cls(
            time_zone=ZoneInfo(desk.time_zone),
            opening_hours=desk.opening_hours,
            holiday_country=desk.holiday_country,
            closed_days=frozenset(desk.closures.values_list("date", flat=True)) if desk.pk else frozenset(),
        )

    @cached_property
    def _holidays(self) -> holidays.HolidayBase | dict[date, str]:
        # No country, or one the package does not know: closed days are entered by hand.
        if self.holiday_country not in holidays.list_supported_countries():
            return {}
        return holidays.country_holidays(self.holiday_country)

    def is_closed(self, day: date) -> bool:
        return day in self.closed_days or day in self._holidays

    def _periods(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Opening periods that end after ``start``, in order, in UTC: arithmetic on datetimes
        that share a ZoneInfo is wall-clock arithmetic, which miscounts the day clocks change."""
        start = start.astimezone(UTC)
        day = start.astimezone(self.time_zone).date()
        for _offset in range(_HORIZON_DAYS):
            if not self.is_closed(day):
                for opens, closes in opening_periods(self.opening_hours, day.weekday()):
                    begin = datetime.combine(day, opens, tzinfo=self.time_zone).astimezone(UTC)
                    end = datetime.combine(day, closes, tzinfo=self.time_zone).astimezone(UTC)
                    if end > start:
                        yield max(begin, start), end
            day += timedelta(days=1)
        raise NeverOpenError("the desk is open on no day within three years")

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant when ``duration`` of business time has passed after ``start``."""
        left = duration
        if left <= timedelta(0):
            return start
        for begin, end in self._periods(start):
            if end - begin >= left:
                return begin + left
            left -= end - begin
        raise NeverOpenError("unreachable")  # pragma: no cover - _periods raises first

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Business time from ``start`` to ``end`` (zero when ``end`` is not later)."""
        total = timedelta(0)
        if end <= start:
            return total
        try:
            for begin, close in self._periods(start):
                if begin >= end:
                    break
                total += min(close, end) - begin
        except NeverOpenError:
            # No opening after ``start`` at all: no business time passes, which is an answer.
            pass
        return total

    def next_opening(self, at: datetime) -> datetime:
        """``at`` if the desk is open then, else when it opens next."""
        begin, _end = next(self._periods(at))
        return begin
