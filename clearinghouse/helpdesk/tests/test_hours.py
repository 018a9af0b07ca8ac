"""Business time: opening hours in the desk's zone, public holidays and closed days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from clearinghouse.helpdesk.hours import BusinessCalendar, NeverOpenError

NAIROBI = ZoneInfo("Africa/Nairobi")
WEEKDAYS = {str(day): [["09:00", "12:00"], ["13:00", "17:00"]] for day in range(5)}


def calendar(**fields: object) -> BusinessCalendar:
    return BusinessCalendar(time_zone=NAIROBI, opening_hours=fields.pop("hours", WEEKDAYS), **fields)  # type: ignore[arg-type]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=NAIROBI)


def test_adding_within_a_day_skips_the_lunch_break() -> None:
    assert calendar().add(at("2026-03-02 11:00"), timedelta(hours=2)) == at("2026-03-02 14:00")


def test_a_question_asked_at_night_is_counted_from_the_next_opening() -> None:
    # Friday 20:00 in Nairobi: the clock starts on Monday at 09:00.
    assert calendar().add(at("2026-03-06 20:00"), timedelta(hours=1)) == at("2026-03-09 10:00")


def test_a_target_longer_than_a_day_runs_over_the_weekend() -> None:
    # Seven business hours a day: ten hours from Friday 09:00 end on Monday at noon, eleven
    # after the lunch break.
    assert calendar().add(at("2026-03-06 09:00"), timedelta(hours=10)) == at("2026-03-09 12:00")
    assert calendar().add(at("2026-03-06 09:00"), timedelta(hours=11)) == at("2026-03-09 14:00")


def test_public_holidays_of_the_desks_country_close_it() -> None:
    # 1 June (Madaraka Day) is a public holiday in Kenya.
    kenyan = calendar(holiday_country="KE")
    start = at("2026-05-29 17:00")  # a Friday, after closing
    assert kenyan.add(start, timedelta(hours=1)) == at("2026-06-02 10:00")
    assert calendar().add(start, timedelta(hours=1)) == at("2026-06-01 10:00")


def test_closed_days_close_it() -> None:
    closed = calendar(closed_days=frozenset({date(2026, 3, 9)}))
    assert closed.add(at("2026-03-06 17:00"), timedelta(hours=1)) == at("2026-03-10 10:00")


def test_an_unknown_holiday_country_closes_nothing() -> None:
    assert calendar(holiday_country="XX").add(at("2026-03-02 09:00"), timedelta(hours=1)) == at(
        "2026-03-02 10:00"
    )


def test_between_counts_only_business_time() -> None:
    assert calendar().between(at("2026-03-06 16:00"), at("2026-03-09 10:00")) == timedelta(hours=2)
    assert calendar().between(at("2026-03-09 10:00"), at("2026-03-06 16:00")) == timedelta(0)


def test_instants_in_other_zones_are_read_in_the_desks_zone() -> None:
    # 06:00 UTC is 09:00 in Nairobi.
    assert calendar().add(datetime(2026, 3, 2, 6, 0, tzinfo=UTC), timedelta(hours=1)) == at(
        "2026-03-02 10:00"
    )


def test_a_desk_that_never_opens_says_so() -> None:
    everything_closed = calendar(hours={"0": [["09:00", "10:00"]]}, closed_days=frozenset())
    # Open one hour on Mondays only: a long target still ends.
    assert everything_closed.add(at("2026-03-02 09:00"), timedelta(hours=3)) == at("2026-03-16 10:00")
    with pytest.raises(NeverOpenError):
        calendar(hours={}).add(at("2026-03-02 09:00"), timedelta(hours=1))


def test_next_opening() -> None:
    assert calendar().next_opening(at("2026-03-02 12:30")) == at("2026-03-02 13:00")
    assert calendar().next_opening(at("2026-03-02 10:00")) == at("2026-03-02 10:00")
