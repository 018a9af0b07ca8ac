"""`clearinghouse loadreference`: countries, regions and vocabularies in one idempotent run."""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clearinghouse.geo.models import Country, Region
from clearinghouse.vocabularies.models import Term, Vocabulary, VocabularyRevision
from clearinghouse.vocabularies.services import DATA_DIR

pytestmark = pytest.mark.django_db


def loadreference(*args: str) -> str:
    out = StringIO()
    call_command("loadreference", *args, stdout=out)
    return out.getvalue()


def test_it_loads_everything_and_prints_one_summary_line() -> None:
    output = loadreference()
    assert output == (
        "reference countries=249 regions=29 vocabularies=7 terms=109 survey_templates=3 "
        "(changed: countries=249 regions=29 vocabularies=7 survey_templates=3)\n"
    )
    assert (Country.objects.count(), Region.objects.count()) == (249, 29)
    assert (Vocabulary.objects.count(), Term.objects.count()) == (7, 109)


def test_a_second_run_changes_nothing() -> None:
    loadreference()
    revisions = VocabularyRevision.objects.count()
    assert "(changed: countries=0 regions=0 vocabularies=0 survey_templates=0)" in loadreference()
    assert VocabularyRevision.objects.count() == revisions
    assert Country.objects.count() == 249


def test_a_broken_vocabulary_file_stops_the_run_and_nothing_is_loaded(tmp_path: Path) -> None:
    directory = tmp_path / "vocabularies"
    shutil.copytree(DATA_DIR, directory)
    (directory / "subjects.json").write_text('{"name": "subjects", "terms": [', encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape("subjects.json: not valid JSON")) as raised:
        loadreference("--vocabularies", str(directory))
    assert "nothing was changed" in str(raised.value)
    # Countries come first in the run, but share its transaction.
    assert not Country.objects.exists()
    assert not Vocabulary.objects.exists()


def test_an_empty_vocabulary_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no vocabulary files"):
        loadreference("--vocabularies", str(tmp_path))
