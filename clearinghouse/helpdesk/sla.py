"""Service levels on a ticket: the first-response and resolution targets of its desk and topic,
counted in the desk's business hours, paused while the desk waits for the requester.

Due times are fixed when the ticket opens (or changes desk or topic) and moved on, when the
requester answers, by the business time the ticket spent waiting. What a page shows is read by
``targets``; the warnings and escalations are the periodic job's (tasks.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from clearinghouse.helpdesk.hours import BusinessCalendar
from clearinghouse.helpdesk.models import HelpTopic, ServiceLevel, Status, Ticket

# What a target's state says on the queue and the ticket, and its style.
MET = "met"
MISSED = "missed"
DUE_SOON = "due_soon"
ON_TRACK = "on_track"
PAUSED = "paused"

STATE_LABELS = {
    MET: _("Met"),
    MISSED: _("Missed"),
    DUE_SOON: _("Due soon"),
    ON_TRACK: _("On track"),
    PAUSED: _("Paused: waiting for the requester"),
}


def _hours(value: Decimal) -> timedelta:
    return timedelta(seconds=float(value) * 3600)


def levels_of(desk_id: int) -> dict[int | None, ServiceLevel]:
    """The desk's levels by topic (None: its default level)."""
    return {level.topic_id: level for level in ServiceLevel.objects.filter(desk_id=desk_id)}


def level_for(desk_id: int, topic: HelpTopic | None) -> ServiceLevel | None:
    """The desk's level for the topic, else its default level, else none."""
    levels = levels_of(desk_id)
    if topic is not None and topic.pk in levels:
        return levels[topic.pk]
    return levels.get(None)


def set_targets(ticket: Ticket, calendar: BusinessCalendar | None = None) -> None:
    """(Re)compute the due times from the opening, the level and the time spent waiting so far.
    The caller saves the ticket."""
    level = level_for(ticket.desk_id, ticket.topic)
    if level is None:
        ticket.first_response_due = ticket.resolution_due = None
        return
    calendar = calendar or BusinessCalendar.of(ticket.desk)
    paused = timedelta(seconds=ticket.paused_seconds)
    ticket.first_response_due = calendar.add(ticket.created_at, _hours(level.first_response_hours))
    ticket.resolution_due = calendar.add(ticket.created_at, _hours(level.resolution_hours) + paused)
    # A new target is judged afresh.
    ticket.response_warned_at = ticket.resolution_warned_at = None
    if ticket.first_response_at is None:
        ticket.response_breached_at = None
    ticket.resolution_breached_at = None


def pause(ticket: Ticket, at: datetime) -> None:
    """The desk waits for the requester: the resolution clock stops."""
    if ticket.waiting_since is None:
        ticket.waiting_since = at


def resume(ticket: Ticket, at: datetime, calendar: BusinessCalendar | None = None) -> None:
    """The requester answered (or the desk stopped waiting): the business time spent waiting
    is added to the resolution target."""
    if ticket.waiting_since is None:
        return
    calendar = calendar or BusinessCalendar.of(ticket.desk)
    waited = calendar.between(ticket.waiting_since, at)
    ticket.paused_seconds += int(waited.total_seconds())
    if ticket.resolution_due is not None:
        # The due time moves on by as much business time as was spent waiting.
        ticket.resolution_due = calendar.add(ticket.resolution_due, waited)
        if ticket.resolution_breached_at is not None and ticket.resolution_due > at:
            ticket.resolution_breached_at = None
    ticket.waiting_since = None


@dataclass(frozen=True)
class Target:
    """One target as a page shows it."""

    name: str
    due: datetime | None
    done_at: datetime | None
    state: str
    # Business time left (negative: overdue by), for a running target.
    left: timedelta | None

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def hours_left(self) -> float | None:
        return None if self.left is None else round(self.left.total_seconds() / 3600, 1)


def _target(
    name: str,
    due: datetime | None,
    done_at: datetime | None,
    now: datetime,
    paused_at: datetime | None,
    warn_share: float,
    full: timedelta | None,
    calendar: BusinessCalendar,
) -> Target | None:
    if due is None:
        return None
    if done_at is not None:
        return Target(name, due, done_at, MET if done_at <= due else MISSED, None)
    if paused_at is not None and paused_at < due:
        # The clock stopped when the desk began to wait; the due time moves on when it resumes.
        return Target(name, due, None, PAUSED, calendar.between(paused_at, due))
    if paused_at is not None:
        # Waiting began after the target was missed: waiting does not undo that.
        return Target(name, due, None, MISSED, -calendar.between(due, paused_at))
    if now > due:
        return Target(name, due, None, MISSED, -calendar.between(due, now))
    left = calendar.between(now, due)
    soon = full is not None and left <= full * (1 - warn_share)
    return Target(name, due, None, DUE_SOON if soon else ON_TRACK, left)


def targets(
    ticket: Ticket,
    now: datetime,
    calendar: BusinessCalendar | None = None,
    levels: dict[int | None, ServiceLevel] | None = None,
) -> list[Target]:
    """The ticket's first-response and resolution targets, as of ``now``. A list of many tickets
    of one desk passes the desk's calendar and its levels by topic (``levels_of``), read once."""
    if ticket.first_response_due is None and ticket.resolution_due is None:
        return []
    calendar = calendar or BusinessCalendar.of(ticket.desk)
    if levels is None:
        level = level_for(ticket.desk_id, ticket.topic)
    else:
        level = levels[ticket.topic_id] if ticket.topic_id in levels else levels.get(None)
    share = (level.warn_at_percent if level else 80) / 100
    waiting = ticket.waiting_since if ticket.status == Status.WAITING else None
    found = [
        _target(
            str(_("First response")),
            ticket.first_response_due,
            # A ticket closed without a reply (a duplicate, spam) stops its response clock too.
            ticket.first_response_at or ticket.closed_at,
            now,
            None,
            share,
            _hours(level.first_response_hours) if level else None,
            calendar,
        ),
        _target(
            str(_("Resolution")),
            ticket.resolution_due,
            ticket.closed_at,
            now,
            waiting,
            share,
            _hours(level.resolution_hours) if level else None,
            calendar,
        ),
    ]
    return [target for target in found if target is not None]
