"""Fixtures of the action plan's tests: the real annex, imported as `make run` imports it."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearinghouse.core.testing import World
from clearinghouse.plan.importer import ImportReport, import_plan
from clearinghouse.vocabularies.services import DATA_DIR, load_vocabularies

PLAN_FILE = Path(__file__).resolve().parents[1] / "data" / "decision-XIII-23-ar.txt"


@pytest.fixture
def targets(db: None) -> None:
    """The Aichi targets and the GBF targets they map to, from the reference files."""
    load_vocabularies([DATA_DIR / "aichi-targets.json", DATA_DIR / "gbf-targets.json"])


@pytest.fixture
def plan(world: World, targets: None) -> ImportReport:
    """The 110 activities of decision XIII/23 in the test world."""
    return import_plan(PLAN_FILE)
