"""Registering and keeping events: an event is a support-registry record, so its content goes
through the support services and the publishing workflow. What is the event's own rule lives
here: its dates are typed as wall-clock times where it takes place and stored in UTC; the
registration settings change without review; search and matching learn when it is over.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.events import permissions
from clearinghouse.events.models import Event, validate_time_zone
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing.models import Revision
from clearinghouse.publishing.owners import owners_for
from clearinghouse.publishing.signals import announce_change
from clearinghouse.support import services as support

# The content fields typed as local date-times, read in the event's time zone.
LOCAL_TIMES = ("starts_at", "ends_at")
# The operational settings: local date-times too.
SETTING_TIMES = ("registration_opens_at", "registration_closes_at", "meeting_requests_close_at")
SETTINGS = (
    *SETTING_TIMES[:2],
    "capacity",
    "requires_approval",
    "accepts_nominations",
    "seat_offer_hours",
    SETTING_TIMES[2],
)


def zone_of(name: str) -> zoneinfo.ZoneInfo:
    """The named time zone; ValidationError with the model's message for an unknown one."""
    validate_time_zone(name or "UTC")
    return zoneinfo.ZoneInfo(name or "UTC")


def in_zone(moment: datetime | None, zone: zoneinfo.ZoneInfo) -> datetime | None:
    """A wall-clock time typed in a form, read again as a time in ``zone`` (UTC-aware result).

    The form gave it in the active time zone (or naive); its digits are what the organiser
    typed, and they meant the time where the event takes place.
    """
    if moment is None:
        return None
    wall = timezone.make_naive(moment) if timezone.is_aware(moment) else moment
    return wall.replace(tzinfo=zone).astimezone(zoneinfo.ZoneInfo("UTC"))


def wall_time(moment: datetime | None, zone: zoneinfo.ZoneInfo) -> datetime | None:
    """A stored time as the naive wall-clock time in ``zone`` (what the form shows)."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment is not None else None


def _with_times_in_zone(cleaned: Mapping[str, Any], zone_name: str) -> dict[str, Any]:
    zone = zone_of(zone_name)
    values = dict(cleaned)
    for name in (*LOCAL_TIMES, *SETTING_TIMES):
        if name in values:
            values[name] = in_zone(values[name], zone)
    return values


@transaction.atomic
def create(
    *, actor: User | None, owner: Country | Organisation, language: str, cleaned: Mapping[str, Any]
) -> Event:
    """A new draft event for ``owner``; its dates are read in its own time zone."""
    values = _with_times_in_zone(cleaned, str(cleaned.get("time_zone") or ""))
    return support.create(Event, actor=actor, owner=owner, language=language, cleaned=values)


def save(
    event: Event, *, actor: User | None, cleaned: Mapping[str, Any], base_revision: int | None
) -> Revision:
    """Save the form's values as a new draft revision (the published version stays public)."""
    values = _with_times_in_zone(cleaned, str(cleaned.get("time_zone") or ""))
    return support.save(event, actor=actor, cleaned=values, base_revision=base_revision)


def submit(event: Event, *, actor: User | None) -> Revision:
    """Submit the latest revision for review."""
    return support.submit(event, actor=actor)


def form_initial(event: Event, values: Mapping[str, Any], zone_name: str) -> dict[str, Any]:
    """Form values with the stored times as wall-clock times in the event's zone."""
    zone = zoneinfo.ZoneInfo(zone_name) if zone_name else event.zone
    initial = dict(values)
    for name in (*LOCAL_TIMES, *SETTING_TIMES):
        if isinstance(initial.get(name), datetime):
            initial[name] = wall_time(initial[name], zone)
    return initial


@transaction.atomic
def change_settings(event: Event, *, actor: User | None, cleaned: Mapping[str, Any]) -> Event:
    """Open, close or enlarge registration: operational settings, changed by an organiser
    without a review. Times are read in the event's time zone."""
    if actor is not None and not permissions.is_organiser(actor, event):
        raise PermissionDenied(_("Only the event's organisers can change its settings."))
    event = Event.objects.select_for_update().get(pk=event.pk)
    values = _with_times_in_zone(
        {name: cleaned[name] for name in SETTINGS if name in cleaned}, event.time_zone
    )
    for name, value in values.items():
        setattr(event, name, value)
    event.full_clean(exclude=["identifier"])
    event.save(update_fields=[*values, "updated_at"])
    return event


@transaction.atomic
def change_picture(event: Event, *, actor: User | None, picture: File[bytes] | None) -> Event:
    """Give the event a picture (already checked by core.pictures.clean_picture) or take it
    away (None): shown at once, without a review, as the registration settings are."""
    if actor is not None and not permissions.is_organiser(actor, event):
        raise PermissionDenied(_("Only the event's organisers can change its picture."))
    event = Event.objects.select_for_update().get(pk=event.pk)
    if picture is None:
        event.picture = None
    else:
        event.picture.save(picture.name or "picture", picture, save=False)
    event.save(update_fields=["picture", "updated_at"])
    return event


def organised_by(user: Any) -> Q:
    """The events a person organises: those of the Parties and organisations they register
    records for, drafts included."""
    owners = owners_for(user)
    countries = [owner.pk for owner in owners if isinstance(owner, Country)]
    organisations = [owner.pk for owner in owners if isinstance(owner, Organisation)]
    return Q(owner_country__in=countries) | Q(owner_organisation__in=organisations)


# The other ways a person has an event of their own, each a condition on events for a person
# (registration adds the events they registered for), added from the areas' own modules.
_TAKES_PART: list[Callable[[Any], Q]] = []


def add_events_of(condition: Callable[[Any], Q]) -> None:
    """Another area's part of "My events": ``condition(user)`` selects the events it adds."""
    if condition not in _TAKES_PART:
        _TAKES_PART.append(condition)


def events_of(user: Any) -> QuerySet[Event]:
    """ "My events": the events a person organises, and those the other areas add for them."""
    if not getattr(user, "is_authenticated", False):
        return Event.objects.none()
    condition = organised_by(user)
    for other in _TAKES_PART:
        condition |= other(user)
    return Event.objects.filter(condition).distinct()


def upcoming_condition(now: datetime | None = None) -> Q:
    """Not over yet: its end (or its start, when it has no end) is still to come."""
    now = now or timezone.now()
    return Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now)


def ended_between(start: datetime, end: datetime) -> list[str]:
    """The published events that ended in [start, end)."""
    ended = Q(ends_at__gte=start, ends_at__lt=end) | Q(
        ends_at__isnull=True, starts_at__gte=start, starts_at__lt=end
    )
    return list(Event.objects.filter(ended, live=True).values_list("identifier", flat=True))


# The daily job looks back a little more than a day, so a late or missed run loses nothing;
# indexing an event twice does no harm.
ENDED_WINDOW = timedelta(hours=36)


def announce_ended(now: datetime | None = None) -> list[str]:
    """Tell search and matching about the events that ended lately: their "upcoming/past" facet
    changes, and they no longer answer needs."""
    now = now or timezone.now()
    identifiers = ended_between(now - ENDED_WINDOW, now)
    announce_change(Event, identifiers)
    return identifiers


def check_times(cleaned: Mapping[str, Any]) -> None:
    """The form's own check, before anything is saved: an unknown time zone, or an end before
    the start in that zone."""
    zone = zone_of(str(cleaned.get("time_zone") or ""))
    starts, ends = in_zone(cleaned.get("starts_at"), zone), in_zone(cleaned.get("ends_at"), zone)
    if starts and ends and ends < starts:
        raise ValidationError({"ends_at": _("The end comes before the start.")})
