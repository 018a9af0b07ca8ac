"""Mentors for the mentoring tests: a consenting alumnus and an expert with a live profile,
made directly (their own areas test how they come to be)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from clearinghouse.accounts.models import User
from clearinghouse.community import mentoring
from clearinghouse.community.models import Alumnus, Consent, Mentorship
from clearinghouse.core.testing import World
from clearinghouse.publishing.models import State
from clearinghouse.support.models import Expert


def alumnus_mentor(person: User, *, consent: str = Consent.GIVEN, **profile: Any) -> Alumnus:
    return Alumnus.objects.create(
        person=person,
        name=person.get_full_name(),
        email=person.email,
        consent=consent,
        consent_changed_at=timezone.now() if consent == Consent.GIVEN else None,
        **profile,
    )


def expert_mentor(world: World, person: User, *, live: bool = True, consent: bool = True) -> Expert:
    return Expert.objects.create(
        identifier=f"CB-EXP-TEST-{person.pk:06d}",
        owner_organisation=world.international,
        original_language="en",
        state=State.PUBLISHED if live else State.DRAFT,
        live=live,
        title={"en": "Expert in access and benefit-sharing"},
        name="Dr " + person.get_full_name(),
        consent_to_publish=consent,
        expert_user=person,
    )


def period(start_in_days: int = 7, days: int = 90) -> tuple[date, date]:
    starts = timezone.localdate() + timedelta(days=start_in_days)
    return starts, starts + timedelta(days=days)


def asked(mentee: User, mentor: User, topic: str = "Preparing our first ABS permit") -> Mentorship:
    starts, ends = period()
    return mentoring.ask(
        mentee,
        mentor,
        topic=topic,
        request="I am drafting my country's first permit under the Nagoya Protocol.",
        starts_on=starts,
        ends_on=ends,
    )


def under_way(mentee: User, mentor: User) -> Mentorship:
    relation = mentoring.accept(asked(mentee, mentor), mentor)
    return mentoring.start(relation, mentee, "Draft the permit form by June; meet every two weeks.")
