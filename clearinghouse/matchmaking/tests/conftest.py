"""The matchmaking tests' world: a Kenyan need and request (requester: Kenya, acted for by its
focal point and authorised user), and Nature Kenya's offer (provider: acted for by its partner
editor), all published through the workflow; the matcher on the word-hashing stand-in, with its
catalogues in a temporary directory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from clearinghouse.core.testing import World
from clearinghouse.matching import index
from clearinghouse.needs.formats import CURRENT_VERSION
from clearinghouse.needs.models import Need, Request
from clearinghouse.publishing import workflow
from clearinghouse.support.models import Offer, SupportRecord
from clearinghouse.support.tests.factories import published, terms
from clearinghouse.support.tests.samples import sample
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


# pytest-django's django_capture_on_commit_callbacks: runs what waits for the commit (signals,
# e-mails, the matcher's refresh), as the real transaction's end would.
Commit = Callable[..., AbstractContextManager[Any]]


def publish_need(
    world: World, commit: Commit, *, title: str = "", contact_email: str = "salma@example.org", **values: Any
) -> Need:
    content: dict[str, Any] = {
        "original_language": "en",
        "format_version": CURRENT_VERSION,
        "title": {"en": title or "Customs officers able to identify invasive alien species"},
        "description": {
            "en": "Border inspectors need identification guides and training on invasive plants."
        },
        "priority": "high",
        "subjects": terms("SUBJ-INVASIVE-ALIEN-SPECIES"),
        "gbf_targets": terms("GBF-T6"),
        "instruments": terms("CBD"),
        "capacity_levels": terms("individual"),
        "support_types": terms("training"),
        "support_languages": ["en"],
        "contact_name": "Salma Odhiambo",
        "contact_email": contact_email,
    } | values
    need = workflow.create(Need, actor=world.authorised_user, owner=world.kenya, values=content)
    workflow.submit(need, actor=world.authorised_user)
    with commit(execute=True):
        return workflow.publish(need, actor=world.focal_point)


def publish_request(world: World, commit: Commit, needs: list[Need], *, consent: bool = False) -> Request:
    request = workflow.create(
        Request,
        actor=world.authorised_user,
        owner=world.kenya,
        values={
            "original_language": "en",
            "format_version": CURRENT_VERSION,
            "needs": needs,
            "title": {"en": "Identification training for border inspectors"},
            "asked": {"en": "A five-day training of trainers on invasive species identification."},
            "deliverables": {"en": "25 trainers trained; a field guide."},
            "modalities": ["training"],
            "consent_to_share": consent,
        },
    )
    workflow.submit(request, actor=world.authorised_user)
    with commit(execute=True):
        return workflow.publish(request, actor=world.focal_point)


def publish_support(world: World, commit: Commit, model: type[SupportRecord] = Offer, **values: Any) -> Any:
    with commit(execute=True):
        return published(
            model,
            world,
            sample(model, world) | values,
            owner=world.kenyan_ngo,
            author=world.partner_editor,
            reviewer=world.focal_point,
        )


@dataclass
class Scene:
    world: World
    commit: Commit
    need: Need
    offer: Offer


@pytest.fixture
def vocabularies(db: None) -> None:
    load_vocabularies(data_files())


@pytest.fixture
def scene(world: World, vocabularies: None, django_capture_on_commit_callbacks: Commit) -> Scene:
    commit = django_capture_on_commit_callbacks
    return Scene(
        world=world, commit=commit, need=publish_need(world, commit), offer=publish_support(world, commit)
    )
