"""What people rate, made the way they come about: an event whose participant was checked in at
the desk, a course a learner enrolled in, a resource a person downloaded, and an offer whose
match with a Kenyan need went through to a completed cooperation (through matchmaking's
services). Import the fixtures into a test module to use them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from clearinghouse.accounts.models import User
from clearinghouse.core.testing import World
from clearinghouse.events.models import Event, Registration
from clearinghouse.events.tests.attendance_factories import make_event, register
from clearinghouse.learning import enrolment
from clearinghouse.learning.models import Course
from clearinghouse.learning.tests.course_factories import make_course
from clearinghouse.matching import index
from clearinghouse.matchmaking import services as matchmaking
from clearinghouse.matchmaking.models import Cooperation, Match
from clearinghouse.matchmaking.tests.conftest import publish_need, publish_support
from clearinghouse.matchmaking.tests.steps import in_progress
from clearinghouse.publishing.signals import record_downloaded
from clearinghouse.support.models import Offer, Resource
from clearinghouse.support.tests.factories import published
from clearinghouse.support.tests.samples import sample
from clearinghouse.vocabularies.services import data_files, load_vocabularies

Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def vocabularies(db: None) -> None:
    load_vocabularies(data_files())


@pytest.fixture(autouse=True)
def _offline(tmp_path: Path) -> Iterator[None]:
    """Uploaded files in the test's own directory; the matcher on its word-hashing stand-in."""
    with override_settings(
        MEDIA_ROOT=tmp_path / "media",
        MATCHING_INDEX_DIR=str(tmp_path / "matching"),
        MATCHING_EMBEDDER="clearinghouse.matching.embedders.HashingEmbedder",
    ):
        index.forget()
        yield
        index.forget()


def attended_event(world: World, person: User, *, checked_in: bool = True) -> Event:
    """A past Kenyan workshop the person registered for, checked in at the desk (or not)."""
    event = make_event(world, past=True)
    register(
        event,
        person.get_full_name() or person.username,
        email=person.email,
        person=person,
        checked_in_at=timezone.now() - timedelta(days=2) if checked_in else None,
    )
    return event


def registration_of(event: Event, person: User) -> Registration:
    return Registration.objects.get(event=event, person=person)


def followed_course(world: World, person: User) -> Course:
    """A published course the person enrolled in themselves."""
    course = make_course(world)
    enrolment.enrol(course, person)
    return course


def resource(world: World) -> Resource:
    return published(Resource, world, sample(Resource, world))


def download(record: Any, person: User) -> None:
    """What the download view sends for a signed-in reader (publishing.usage)."""
    record_downloaded.send(type(record), record=record, person=person)


def completed_cooperation(world: World, commit: Commit) -> tuple[Offer, Cooperation]:
    """Kenya's need met by Nature Kenya's offer: the match agreed, under way and completed
    (the outcome reported by Kenya's authorised user)."""
    need = publish_need(world, commit)
    offer = publish_support(world, commit)
    match = in_progress(world, need, offer)
    matchmaking.complete(
        match, actor=world.authorised_user, results="25 trainers trained; a field guide.", language="en"
    )
    return offer, Cooperation.objects.select_related("match").get(match=match)


def cooperation_under_way(world: World, commit: Commit) -> tuple[Offer, Cooperation]:
    need = publish_need(world, commit)
    offer = publish_support(world, commit)
    match: Match = in_progress(world, need, offer)
    return offer, Cooperation.objects.select_related("match").get(match=match)
