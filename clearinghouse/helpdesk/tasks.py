"""The service-level watch: every five minutes, the active tickets whose clocks run are held to
their targets. A target whose warning threshold has passed warns the agents once; a missed
target is marked, escalated to the desk's leads and told once. Running the watch twice (or two
workers at once) sends nothing twice: each mark is set by a conditional update, and only the
run that set it writes the history and sends the mail.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from clearinghouse.helpdesk import escalation
from clearinghouse.helpdesk.hours import BusinessCalendar, NeverOpenError
from clearinghouse.helpdesk.models import (
    RUNNING_STATUSES,
    Desk,
    EventKind,
    ServiceLevel,
    Ticket,
    TicketEvent,
)

CHUNK = 500


def _hours(value: Decimal) -> timedelta:
    return timedelta(seconds=float(value) * 3600)


@dataclass
class WatchReport:
    """What one run of the watch did."""

    checked: int = 0
    warned: int = 0
    breached: int = 0
    escalated: int = 0
    mails: int = 0


@dataclass
class _DeskView:
    """One desk as the watch needs it, read once per run."""

    desk: Desk
    calendar: BusinessCalendar
    agents: list[Any]
    leads: list[Any]
    levels: dict[int | None, ServiceLevel]

    def level(self, topic_id: int | None) -> ServiceLevel | None:
        return self.levels.get(topic_id) or self.levels.get(None)


def _desks() -> dict[int, _DeskView]:
    levels: dict[int, dict[int | None, ServiceLevel]] = defaultdict(dict)
    for level in ServiceLevel.objects.all():
        levels[level.desk_id][level.topic_id] = level
    views = {}
    for desk in Desk.objects.prefetch_related("agents", "leads", "closures"):
        # The same calendar as BusinessCalendar.of, from the prefetched closed days.
        calendar = BusinessCalendar(
            time_zone=ZoneInfo(desk.time_zone),
            opening_hours=desk.opening_hours,
            holiday_country=desk.holiday_country,
            closed_days=frozenset(closure.date for closure in desk.closures.all()),
        )
        views[desk.pk] = _DeskView(
            desk, calendar, list(desk.agents.all()), list(desk.leads.all()), levels[desk.pk]
        )
    return views


def _watched() -> Any:
    """Running tickets with a target not yet missed (a warning may still be due before it)."""
    response_open = Q(
        first_response_due__isnull=False, first_response_at__isnull=True, response_breached_at__isnull=True
    )
    resolution_open = Q(resolution_due__isnull=False, resolution_breached_at__isnull=True)
    return Ticket.objects.filter(status__in=RUNNING_STATUSES).filter(response_open | resolution_open)


def _claim(ticket: Ticket, **marks: datetime) -> bool:
    """Set the marks if they are still empty; False when another run set them first."""
    empty = {f"{name}__isnull": True for name in marks}
    return bool(Ticket.objects.filter(pk=ticket.pk, **empty).update(**marks))


WARN = "warn"
BREACH = "breach"


def _marks(target: str) -> tuple[str, str]:
    if target == escalation.RESPONSE:
        return "response_warned_at", "response_breached_at"
    return "resolution_warned_at", "resolution_breached_at"


def _needed(
    ticket: Ticket,
    target: str,
    due: datetime,
    full: timedelta,
    warn_share: float,
    now: datetime,
    calendar: BusinessCalendar,
) -> str | None:
    """What the target calls for now, read without the database: a breach, a warning or nothing."""
    warned_field, breached_field = _marks(target)
    if now >= due:
        return BREACH if getattr(ticket, breached_field) is None else None
    if getattr(ticket, warned_field) is not None:
        return None
    # Warned once no more than (1 − the share) of the whole target is left, in business time.
    return WARN if calendar.between(now, due) <= full * (1 - warn_share) else None


def _act(
    ticket: Ticket,
    target: str,
    what: str,
    due: datetime,
    now: datetime,
    view: _DeskView,
    central_leads: list[Any],
    report: WatchReport,
) -> None:
    warned_field, breached_field = _marks(target)
    name = _("First response") if target == escalation.RESPONSE else _("Resolution")
    if what == WARN:
        if not _claim(ticket, **{warned_field: now}):
            return
        TicketEvent.objects.create(ticket=ticket, kind=EventKind.WARNED, detail=name, at=now)
        report.warned += 1
        people = escalation.warned_people(ticket, view.agents)
        report.mails += escalation.send_warning(ticket, target, due, people)
        return
    if not _claim(ticket, **{breached_field: now}):
        return
    # A missed target needs no warning any more.
    _claim(ticket, **{warned_field: now})
    TicketEvent.objects.create(ticket=ticket, kind=EventKind.BREACHED, detail=name, at=now)
    report.breached += 1
    _claim(ticket, escalated_at=now)
    people = escalation.escalation_people(target, view.desk, view.leads, view.agents, central_leads)
    TicketEvent.objects.create(
        ticket=ticket,
        kind=EventKind.ESCALATED,
        detail=", ".join(person.get_full_name() or person.email for person in people)[:300],
        at=now,
    )
    report.escalated += 1
    report.mails += escalation.send_breach(ticket, target, due, people)


def watch(now: datetime | None = None) -> WatchReport:
    """Warn, mark missed targets and escalate, as of ``now``; idempotent."""
    now = now or timezone.now()
    report = WatchReport()
    desks = _desks()
    central = next((view for view in desks.values() if view.desk.is_central), None)
    central_leads = central.leads if central else []
    last = 0
    while True:
        # Keyset pagination: tickets changed by this run do not shift the next chunk.
        chunk = list(_watched().filter(pk__gt=last).select_related("assigned_to").order_by("pk")[:CHUNK])
        if not chunk:
            return report
        last = chunk[-1].pk
        for ticket in chunk:
            view = desks.get(ticket.desk_id)
            level = view.level(ticket.topic_id) if view else None
            if view is None or level is None:
                continue
            ticket.desk = view.desk
            report.checked += 1
            share = level.warn_at_percent / 100
            targets = []
            if ticket.first_response_due is not None and ticket.first_response_at is None:
                targets.append(
                    (escalation.RESPONSE, ticket.first_response_due, _hours(level.first_response_hours))
                )
            if ticket.resolution_due is not None:
                targets.append((escalation.RESOLUTION, ticket.resolution_due, _hours(level.resolution_hours)))
            try:
                actions = [
                    (target, what, due)
                    for target, due, full in targets
                    if (what := _needed(ticket, target, due, full, share, now, view.calendar))
                ]
            except NeverOpenError:
                # A desk open on no day: its due times cannot be reached; nothing to judge.
                continue
            if actions:
                # Each ticket's marks, history and mail stand or fall together.
                with transaction.atomic():
                    for target, what, due in actions:
                        _act(ticket, target, what, due, now, view, central_leads, report)


@db_periodic_task(crontab(minute="*/5"))
def watch_service_levels() -> tuple[int, int, int]:
    """Every five minutes: warnings, missed targets and escalations (``watch``); returns how
    many tickets were warned, breached and escalated."""
    report = watch()
    return report.warned, report.breached, report.escalated
