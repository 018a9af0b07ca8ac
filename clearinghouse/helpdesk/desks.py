"""Managing the help desks: the Secretariat sets a desk up (names, host, languages, Parties and
regions, topics, agents, leads); the Secretariat and the desk's leads keep its calendar (time
zone, opening hours, public holidays, closed days) and its service levels.

Changing hours or levels applies to tickets opened or transferred from then on: open tickets
keep the due times they were given, so that nobody's deadline moves under them unannounced.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import Appointment, Role, User
from clearinghouse.accounts.roles import is_secretariat
from clearinghouse.helpdesk.hours import BusinessCalendar, NeverOpenError
from clearinghouse.helpdesk.models import Closure, Desk, HelpTopic, ServiceLevel


class DeskError(ValidationError):
    """A change to a desk refused for a reason the person can act on."""


def may_manage(user: Any) -> bool:
    """The Secretariat sets desks and help topics up."""
    return is_secretariat(user)


def may_keep_calendar(user: Any, desk: Desk) -> bool:
    """The Secretariat and the desk's leads keep its hours, closed days and service levels."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_secretariat(user) or desk.leads.filter(pk=user.pk).exists()


def managed_desks(user: Any) -> QuerySet[Desk]:
    """The desks the person may change something of."""
    if is_secretariat(user):
        return Desk.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Desk.objects.none()
    return Desk.objects.filter(leads=user)


def eligible_agents() -> QuerySet[User]:
    """People who may work a desk's queue: help-desk agents and the Secretariat, appointed now."""
    appointed = Appointment.objects.filter(
        role__in=[Role.HELPDESK_AGENT, Role.SECRETARIAT], ended_at__isnull=True
    ).values("user_id")
    return User.objects.filter(Q(pk__in=appointed) | Q(is_superuser=True), is_active=True).order_by(
        "last_name", "first_name", "email"
    )


def _require_manager(user: Any) -> None:
    if not may_manage(user):
        raise PermissionDenied(_("Only the Secretariat sets up help desks."))


def _require_calendar(user: Any, desk: Desk) -> None:
    if not may_keep_calendar(user, desk):
        raise PermissionDenied(_("Only the Secretariat and the desk's leads change its hours and levels."))


@transaction.atomic
def save_desk(
    desk: Desk | None,
    *,
    actor: Any,
    fields: Mapping[str, Any],
    countries: Iterable[Any] = (),
    topics: Iterable[Any] = (),
    agents: Iterable[Any] = (),
    leads: Iterable[Any] = (),
) -> Desk:
    """Create or change a desk's settings (Secretariat). Agents and leads must hold the help-desk
    agent role or be of the Secretariat; there is one central desk."""
    _require_manager(actor)
    desk = Desk() if desk is None else Desk.objects.select_for_update().get(pk=desk.pk)
    for name, value in fields.items():
        setattr(desk, name, value)
    errors: dict[str, list[str]] = {}
    if desk.is_central and Desk.objects.filter(is_central=True).exclude(pk=desk.pk).exists():
        other = Desk.objects.get(is_central=True)
        errors["is_central"] = [
            _("%(desk)s is already the central desk: untick it there first.") % {"desk": other}
        ]
    eligible = set(eligible_agents().values_list("pk", flat=True))
    agents, leads = list(agents), list(leads)
    for field, people in (("agents", agents), ("leads", leads)):
        refused = [person for person in people if person.pk not in eligible]
        if refused:
            errors[field] = [
                _("%(people)s hold no help-desk agent role: appoint them first.")
                % {"people": ", ".join(str(person) for person in refused)}
            ]
    try:
        desk.full_clean(exclude=["opening_hours"] if desk.pk is None else None)
    except ValidationError as invalid:
        for field, messages in invalid.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise DeskError(errors)
    desk.save()
    desk.countries.set(list(countries))
    desk.topics.set(list(topics))
    desk.agents.set(agents)
    desk.leads.set(leads)
    return desk


@transaction.atomic
def set_calendar(
    desk: Desk, *, actor: Any, time_zone: str, opening_hours: dict[str, list[list[str]]], holiday_country: str
) -> Desk:
    """The desk's time zone, opening hours and public holidays (Secretariat, the desk's leads)."""
    _require_calendar(actor, desk)
    desk = Desk.objects.select_for_update().get(pk=desk.pk)
    if not any(opening_hours.values()):
        raise DeskError({"opening_hours": [_("Open the desk for at least one period in the week.")]})
    desk.time_zone, desk.opening_hours, desk.holiday_country = time_zone, opening_hours, holiday_country
    try:
        desk.full_clean(
            exclude=[
                field.name for field in Desk._meta.fields if field.name not in {"time_zone", "opening_hours"}
            ]
        )
    except ValidationError as invalid:
        raise DeskError(invalid.message_dict) from None
    try:
        BusinessCalendar.of(desk).next_opening(timezone.now())
    except NeverOpenError:
        raise DeskError(
            {"opening_hours": [_("With these hours and closed days the desk never opens again.")]}
        ) from None
    desk.save(update_fields=["time_zone", "opening_hours", "holiday_country"])
    return desk


@transaction.atomic
def add_closure(desk: Desk, *, actor: Any, date: Any, reason: str = "") -> Closure:
    """A day the desk is closed besides public holidays."""
    _require_calendar(actor, desk)
    if desk.closures.filter(date=date).exists():
        raise DeskError({"date": [_("The desk is already closed that day.")]})
    return Closure.objects.create(desk=desk, date=date, reason=(reason or "").strip()[:200])


@transaction.atomic
def remove_closure(desk: Desk, *, actor: Any, closure_id: int) -> None:
    _require_calendar(actor, desk)
    desk.closures.filter(pk=closure_id).delete()


@transaction.atomic
def save_level(
    desk: Desk,
    *,
    actor: Any,
    topic: HelpTopic | None,
    first_response_hours: Decimal,
    resolution_hours: Decimal,
    warn_at_percent: int,
) -> ServiceLevel:
    """The desk's level for a topic (or its default level, topic empty): set or replaced."""
    _require_calendar(actor, desk)
    level = ServiceLevel.objects.filter(desk=desk, topic=topic).first() or ServiceLevel(
        desk=desk, topic=topic
    )
    level.first_response_hours = first_response_hours
    level.resolution_hours = resolution_hours
    level.warn_at_percent = warn_at_percent
    try:
        level.full_clean(exclude=["desk", "topic"], validate_unique=False, validate_constraints=False)
    except ValidationError as invalid:
        raise DeskError(invalid.message_dict) from None
    level.save()
    return level


@transaction.atomic
def remove_level(desk: Desk, *, actor: Any, level_id: int) -> None:
    _require_calendar(actor, desk)
    desk.service_levels.filter(pk=level_id).delete()


@transaction.atomic
def save_topic(topic: HelpTopic | None, *, actor: Any, fields: Mapping[str, Any]) -> HelpTopic:
    """Create or change a help topic (Secretariat)."""
    _require_manager(actor)
    topic = HelpTopic() if topic is None else HelpTopic.objects.select_for_update().get(pk=topic.pk)
    for name, value in fields.items():
        setattr(topic, name, value)
    try:
        topic.full_clean()
    except ValidationError as invalid:
        raise DeskError(invalid.message_dict) from None
    topic.save()
    return topic
