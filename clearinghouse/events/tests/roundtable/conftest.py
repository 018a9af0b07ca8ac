"""The round-table tests' world: a round table in Nairobi organised by the Secretariat, whose
confirmed participants are Kenya's authorised user (seeks support, brings Kenya's published
need), Nature Kenya's partner editor (offers support, brings its published offer) and
Tanzania's focal point (seeks support, brings nothing yet); the matcher on the word-hashing
stand-in, with its catalogues in a temporary directory (as matchmaking's tests have it)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from clearinghouse.accounts.models import User
from clearinghouse.core.testing import World
from clearinghouse.events.models import (
    Event,
    EventKind,
    Meeting,
    MeetingRequest,
    Registration,
    RegistrationStatus,
    Side,
    Slot,
    Table,
)
from clearinghouse.matching import index
from clearinghouse.matchmaking.tests.conftest import Commit, publish_need, publish_support
from clearinghouse.needs.models import Need
from clearinghouse.support.models import Offer
from clearinghouse.vocabularies.services import data_files, load_vocabularies


@pytest.fixture(autouse=True)
def _matcher(tmp_path: Path) -> Iterator[None]:
    with override_settings(
        MATCHING_INDEX_DIR=str(tmp_path / "matching"),
        MATCHING_EMBEDDER="clearinghouse.matching.embedders.HashingEmbedder",
        MEDIA_ROOT=tmp_path / "media",
    ):
        index.forget()
        yield
        index.forget()


def round_table(world: World, *, starts_in: timedelta = timedelta(days=10), **values: Any) -> Event:
    starts = timezone.now() + starts_in
    fields: dict[str, Any] = {
        "identifier": "CB-EVENT-XX-000001",
        "owner_organisation": world.international,
        "original_language": "en",
        "title": {"en": "Invasive species round table", "fr": "Table ronde sur les espèces envahissantes"},
        "kind": EventKind.ROUND_TABLE,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=8),
        "time_zone": "Africa/Nairobi",
        "state": "published",
        "live": True,
    } | values
    return Event.objects.create(**fields)


def register(
    event: Event,
    person: User,
    *,
    side: str = "",
    listed: bool = True,
    status: str = RegistrationStatus.CONFIRMED,
    country: Any = None,
    language: str = "en",
) -> Registration:
    return Registration.objects.create(
        event=event,
        person=person,
        name=person.get_full_name(),
        email=person.email,
        status=status,
        side=side,
        listed=listed,
        country=country,
        language=language,
    )


def scheduled(request: MeetingRequest, starts_at: datetime, table: str = "T1") -> Meeting:
    """Place an accepted request in a slot at a table, as the schedule does."""
    event = request.event
    slot, _created = Slot.objects.get_or_create(
        event=event, starts_at=starts_at, defaults={"ends_at": starts_at + timedelta(minutes=20)}
    )
    place, _created = Table.objects.get_or_create(event=event, name=table)
    return Meeting.objects.create(request=request, slot=slot, table=place)


@dataclass
class Scene:
    world: World
    commit: Commit
    event: Event
    need: Need
    offer: Offer
    seeker: Registration  # Kenya's authorised user
    provider: Registration  # Nature Kenya's partner editor
    other_seeker: Registration  # Tanzania's focal point


@pytest.fixture
def vocabularies(db: None) -> None:
    load_vocabularies(data_files())


@pytest.fixture
def scene(world: World, vocabularies: None, django_capture_on_commit_callbacks: Commit) -> Scene:
    commit = django_capture_on_commit_callbacks
    need = publish_need(world, commit)
    offer = publish_support(world, commit)
    event = round_table(world)
    seeker = register(event, world.authorised_user, side=Side.SEEKER, country=world.kenya)
    provider = register(event, world.partner_editor, side=Side.PROVIDER, country=world.kenya)
    other = register(event, world.other_focal_point, side=Side.SEEKER, country=world.tanzania, language="fr")
    seeker.items.create(identifier=need.identifier)
    provider.items.create(identifier=offer.identifier)
    # What the publishing workflow wrote is not what these tests read.
    mail.outbox.clear()
    return Scene(world, commit, event, need, offer, seeker, provider, other)
