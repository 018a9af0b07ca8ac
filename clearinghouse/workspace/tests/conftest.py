"""The dashboard tests' world: the shared test world with work waiting for every role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from clearinghouse.accounts import services
from clearinghouse.core.testing import World, invasive_species_need_values
from clearinghouse.matching import index
from clearinghouse.matchmaking import services as matchmaking
from clearinghouse.matchmaking.models import Case
from clearinghouse.matchmaking.tests.conftest import publish_need, publish_request, publish_support
from clearinghouse.needs.models import Need
from clearinghouse.publishing import workflow
from clearinghouse.search import saved
from clearinghouse.vocabularies.services import data_files, load_vocabularies


@pytest.fixture
def busy_world(world: World, django_capture_on_commit_callbacks: Any, tmp_path: Path) -> Iterator[World]:
    """The shared world with work waiting for every role: a need and a request of Kenya's
    published, a case with a match proposed to Nature Kenya, a need submitted for review, a draft,
    a saved search, and an access request to Kenya's focal point."""
    with override_settings(
        MATCHING_INDEX_DIR=str(tmp_path / "matching"),
        MATCHING_EMBEDDER="clearinghouse.matching.embedders.HashingEmbedder",
        MEDIA_ROOT=tmp_path / "media",
    ):
        index.forget()
        load_vocabularies(data_files())
        commit = django_capture_on_commit_callbacks
        need = publish_need(world, commit)
        publish_request(world, commit, [need])
        offer = publish_support(world, commit)
        case = Case.objects.get(request__isnull=False)
        matchmaking.assign(case, actor=world.helpdesk_agent, agent=world.helpdesk_agent)
        match = matchmaking.shortlist(case, offer, actor=world.helpdesk_agent)
        with commit(execute=True):
            matchmaking.propose(match, actor=world.helpdesk_agent, message="Could you train them?")
        waiting = workflow.create(
            Need,
            actor=world.authorised_user,
            owner=world.kenya,
            values=invasive_species_need_values("en", "Seed bank curators", "Training for two curators."),
        )
        workflow.submit(waiting, actor=world.authorised_user)
        workflow.create(
            Need,
            actor=world.iplc_representative,
            owner=world.kenyan_iplc,
            values=invasive_species_need_values("en", "Community seed registers", "A register per village."),
        )
        saved.save_search(world.learner, "q=invasive", name="Invasive species", frequency="weekly")
        services.request_access(requester=world.outsider, scope=world.kenya, message="Kenya Forest Service")
        world.case, world.match = case, match  # type: ignore[attr-defined]
        yield world
        index.forget()
