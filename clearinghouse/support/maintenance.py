"""Keeping the registry current: owners are reminded once a year to confirm or update each
published record (one digest e-mail per person, in their language); records neither confirmed
nor published for two years are stale, and search is told so."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db.models import Q
from django.utils import timezone

from clearinghouse.accounts.models import Appointment, Role, User
from clearinghouse.core.mail import send_templated, site_url
from clearinghouse.core.multilingual import show
from clearinghouse.support.models import RECORD_MODELS, Expert
from clearinghouse.support.models.common import STALE_AFTER, SupportRecord


def owner_people(record: SupportRecord) -> set[User]:
    """Who keeps the record: the Party's focal points and authorised users, or the
    organisation's editors; for an expert profile, the expert too."""
    appointments = Appointment.objects.filter(ended_at__isnull=True).select_related("user")
    if record.owner_country is not None:
        appointments = appointments.filter(
            country=record.owner_country, role__in=[Role.FOCAL_POINT, Role.AUTHORISED_USER]
        )
    else:
        appointments = appointments.filter(
            organisation=record.owner_organisation,
            role__in=[Role.PARTNER_EDITOR, Role.IPLC_REPRESENTATIVE],
        )
    people = {appointment.user for appointment in appointments if appointment.user.is_active}
    if isinstance(record, Expert) and record.expert_user is not None and record.expert_user.is_active:
        people.add(record.expert_user)
    return people


def due_for_reminder(now: datetime | None = None) -> list[SupportRecord]:
    now = now or timezone.now()
    records: list[SupportRecord] = []
    for model in RECORD_MODELS:
        records.extend(model.objects.filter(SupportRecord.reminder_condition(now)).order_by("identifier"))
    return records


def _reminder_context(person: User, records: list[SupportRecord]) -> dict[str, Any]:
    items = [
        (
            record.identifier,
            show(record.title, record.original_language).text,
            site_url(record.get_absolute_url()),
        )
        for record in records
    ]
    return {"person": person, "items": items, "count": len(items)}


def send_reminders(now: datetime | None = None) -> int:
    """One digest per person listing every record of theirs due for confirmation; how many
    e-mails were sent. A record is reminded once a year at most."""
    now = now or timezone.now()
    records = due_for_reminder(now)
    by_person: dict[User, list[SupportRecord]] = defaultdict(list)
    for record in records:
        for person in owner_people(record):
            if person.email:
                by_person[person].append(record)
    for person, theirs in sorted(by_person.items(), key=lambda item: item[0].pk):
        send_templated(
            "support/email/reminder",
            partial(_reminder_context, person, theirs),
            to=person.email,
            language=person.preferred_language,
        )
    for model in RECORD_MODELS:
        model.objects.filter(pk__in=[record.pk for record in records if isinstance(record, model)]).update(
            reminded_at=now
        )
    return len(by_person)


def newly_stale(now: datetime | None = None, days: int = 2) -> list[str]:
    """Identifiers of records that became stale in the last ``days`` days."""
    now = now or timezone.now()
    cutoff = now - STALE_AFTER
    window = cutoff - timedelta(days=days)
    identifiers: list[str] = []
    for model in RECORD_MODELS:
        became = Q(last_published_at__gte=window) | Q(confirmed_at__gte=window)
        identifiers.extend(
            model.objects.filter(SupportRecord.stale_condition(now))
            .filter(became)
            .values_list("identifier", flat=True)
        )
    return identifiers


def stale_records(now: datetime | None = None) -> list[SupportRecord]:
    records: list[SupportRecord] = []
    for model in RECORD_MODELS:
        records.extend(model.objects.filter(SupportRecord.stale_condition(now)))
    return records
