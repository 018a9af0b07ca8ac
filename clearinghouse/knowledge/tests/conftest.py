"""The knowledge tests' world: the vocabularies, the matcher on its word-hashing stand-in (a
published record is embedded), and knowledge products written by Kenya's authorised user and
published by Kenya's focal point through the workflow."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from clearinghouse.core.testing import World
from clearinghouse.knowledge import services
from clearinghouse.knowledge.models import Knowledge
from clearinghouse.matching import index
from clearinghouse.publishing import workflow
from clearinghouse.support.tests.factories import terms
from clearinghouse.vocabularies.services import data_files, load_vocabularies

Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture(autouse=True)
def _offline(tmp_path: Path) -> Iterator[None]:
    with override_settings(
        MATCHING_INDEX_DIR=str(tmp_path / "matching"),
        MATCHING_EMBEDDER="clearinghouse.matching.embedders.HashingEmbedder",
        MEDIA_ROOT=tmp_path / "media",
    ):
        index.forget()
        yield
        index.forget()


@pytest.fixture
def vocabularies(db: None) -> None:
    load_vocabularies(data_files())


def product_values(language: str = "en", **values: Any) -> dict[str, Any]:
    """A complete good practice on invasive species in ``language`` (texts given as {language: text})."""
    return {
        "original_language": language,
        "kind": "good_practice",
        "title": {language: "Border inspectors trained to spot invasive plants"},
        "summary": {language: "Twenty-five inspectors now recognise the ten worst invasive plants."},
        "problem": {language: "Seeds of invasive plants crossed the border unnoticed."},
        "actions": {language: "A five-day training of trainers, then field practice."},
        "results": {language: "Seizures of invasive seeds doubled in a year."},
        "advice": {language: "Print the field guide in the inspectors' language."},
        "subjects": terms("SUBJ-INVASIVE-ALIEN-SPECIES"),
        "gbf_targets": terms("GBF-T6"),
    } | values


def publish_product(world: World, commit: Commit, **values: Any) -> Knowledge:
    """Written by Kenya's authorised user, submitted, published by Kenya's focal point."""
    product = services.create(actor=world.authorised_user, owner=world.kenya, values=product_values(**values))
    workflow.submit(product, actor=world.authorised_user)
    with commit(execute=True):
        return workflow.publish(product, actor=world.focal_point)
