"""Records published through the workflow for the syndication tests: needs of Kenya (in English
and French) and Tanzania (in Arabic), one archived since, and a draft never published."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from clearinghouse.core.testing import World
from clearinghouse.matching.tests.records import committed, publish_need
from clearinghouse.needs.formats import CURRENT_VERSION
from clearinghouse.needs.models import Need
from clearinghouse.publishing import workflow


@pytest.fixture(autouse=True)
def _index_dir(tmp_path: Path) -> Iterator[None]:
    with override_settings(MATCHING_INDEX_DIR=str(tmp_path / "matching")):
        yield


@pytest.fixture
def vocabularies(db: None) -> None:
    from clearinghouse.vocabularies.services import data_files, load_vocabularies

    load_vocabularies(data_files())


@dataclass
class Needs:
    reefs: Need  # Kenya, English with a French translation
    mangroves: Need  # Kenya, English
    wetlands: Need  # Tanzania, Arabic
    archived: Need  # Kenya, published then archived
    draft: Need  # Kenya, never published


@pytest.fixture
def needs(world: World, vocabularies: None, django_capture_on_commit_callbacks: Any) -> Needs:
    capture = django_capture_on_commit_callbacks
    reefs = publish_need(
        capture,
        owner=world.kenya,
        language="en",
        title="Training in coral reef monitoring",
        description="Rangers of the marine parks need training in reef survey methods.",
    )
    with committed(capture):
        workflow.save_draft(
            reefs,
            actor=None,
            base_revision=reefs.revision_number,
            values={
                "title": {"en": reefs.title["en"], "fr": "Formation au suivi des récifs coralliens"},
                "description": {
                    "en": reefs.description["en"],
                    "fr": "Les gardes des parcs marins ont besoin d'une formation aux relevés des récifs.",
                },
            },
        )
        workflow.submit(reefs, actor=None)
        reefs = workflow.publish(reefs, actor=None)
    mangroves = publish_need(
        capture,
        owner=world.kenya,
        language="en",
        title="Mangrove restoration </script><script>alert(1)</script>",
        description="Communities on the coast <b>replant</b> mangroves & need seedlings.",
    )
    wetlands = publish_need(
        capture,
        owner=world.tanzania,
        language="ar",
        title="رصد الأراضي الرطبة",
        description="نحتاج إلى تدريب على رصد الطيور المائية في الأراضي الرطبة.",
    )
    archived = publish_need(
        capture,
        owner=world.kenya,
        language="en",
        title="Seagrass survey equipment",
        description="Quadrats and snorkels for seagrass surveys.",
    )
    with committed(capture):
        archived = workflow.archive(archived, actor=None)
    draft = workflow.create(
        Need,
        actor=None,
        owner=world.kenya,
        values={
            "original_language": "en",
            "format_version": CURRENT_VERSION,
            "title": {"en": "Unpublished draft about forests"},
        },
    )
    return Needs(reefs, mangroves, wetlands, archived, draft)
