"""A vocabulary's version moves, and a revision is kept, only when its content changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from clearinghouse.accounts.models import User
from clearinghouse.vocabularies.models import Term, Vocabulary, VocabularyRevision
from clearinghouse.vocabularies.services import DATA_DIR, data_files, load_vocabularies, record_revision

pytestmark = pytest.mark.django_db


@pytest.fixture
def gbf() -> Vocabulary:
    load_vocabularies(data_files())
    return Vocabulary.objects.get(name="gbf-targets")


def test_the_first_load_keeps_revision_one_with_the_file_and_release(gbf: Vocabulary) -> None:
    revision = gbf.revisions.get()
    assert (revision.version, revision.note, revision.created_by) == (
        1,
        "gbf-targets.json, release 2026.1",
        None,
    )
    assert revision.snapshot["release"] == "2026.1"
    assert [term["code"] for term in revision.snapshot["terms"]][:2] == ["GBF-GA", "GBF-GB"]


def test_the_snapshot_holds_parents_and_mappings_as_codes() -> None:
    load_vocabularies(data_files())
    snapshot = VocabularyRevision.objects.get(vocabulary__name="aichi-targets").snapshot
    target = next(term for term in snapshot["terms"] if term["code"] == "AICHI-T15")
    assert (target["parent"], target["maps_to"], target["is_active"]) == (
        "AICHI-SD",
        ["GBF-T2", "GBF-T8"],
        True,
    )


def test_recording_without_a_change_writes_nothing(gbf: Vocabulary) -> None:
    assert record_revision(gbf) is None
    gbf.refresh_from_db()
    assert gbf.version == 1
    assert gbf.revisions.count() == 1


def test_a_change_raises_the_version_and_keeps_who_made_it(gbf: Vocabulary) -> None:
    editor = User.objects.create_user("amina", email="amina@example.org")
    Term.objects.filter(vocabulary=gbf, code="GBF-T3").update(position=99)
    revision = record_revision(gbf, user=editor, note="Target 3 last")
    assert revision is not None
    assert (revision.version, revision.created_by, revision.note) == (2, editor, "Target 3 last")
    assert revision.snapshot["terms"][-1]["code"] == "GBF-T3"
    gbf.refresh_from_db()
    assert gbf.version == 2


def test_reloading_a_changed_file_raises_the_version_once(tmp_path: Path, gbf: Vocabulary) -> None:
    directory = tmp_path / "data"
    shutil.copytree(DATA_DIR, directory)
    path = directory / "gbf-targets.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["version"] = "2027.1"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    load_vocabularies(data_files(directory))
    load_vocabularies(data_files(directory))
    gbf.refresh_from_db()
    assert (gbf.version, gbf.release) == (2, "2027.1")
    assert list(gbf.revisions.values_list("version", "note")) == [
        (2, "gbf-targets.json, release 2027.1"),
        (1, "gbf-targets.json, release 2026.1"),
    ]
