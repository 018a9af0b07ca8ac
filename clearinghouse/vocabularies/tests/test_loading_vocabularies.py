"""`load_vocabularies`: the vocabulary files into the database, idempotent, nothing deleted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from clearinghouse.vocabularies.models import Term, Vocabulary, VocabularyRevision
from clearinghouse.vocabularies.services import (
    DATA_DIR,
    VocabularyDataError,
    data_files,
    load_vocabularies,
    load_vocabulary,
)

pytestmark = pytest.mark.django_db


def copy_of_data(tmp_path: Path) -> Path:
    target = tmp_path / "vocabularies"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("*.md"))
    return target


def edit(directory: Path, name: str, change: Any) -> Path:
    """Change one vocabulary file of a copied data directory with `change(data)`."""
    path = directory / f"{name}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def term(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(entry for entry in data["terms"] if entry["code"] == code)


def codes(terms: Any) -> list[str]:
    return [term.code for term in terms]


def test_every_vocabulary_and_term_is_loaded_with_labels_in_the_six_languages() -> None:
    results = load_vocabularies(data_files())
    assert len(results) == Vocabulary.objects.count() == 7
    assert sum(result.terms for result in results) == Term.objects.count() == 109
    for labels in Term.objects.values_list("labels", flat=True):
        assert sorted(labels) == ["ar", "en", "es", "fr", "ru", "zh"]
    aichi = Vocabulary.objects.get(name="aichi-targets")
    assert (aichi.release, aichi.version, aichi.titles["zh"]) == ("2026.1", 1, "爱知生物多样性目标")


def test_terms_keep_the_file_order_and_their_parents() -> None:
    load_vocabularies(data_files())
    aichi = Vocabulary.objects.get(name="aichi-targets")
    assert codes(aichi.terms.all())[:6] == [
        "AICHI-SA",
        "AICHI-SB",
        "AICHI-SC",
        "AICHI-SD",
        "AICHI-SE",
        "AICHI-T1",
    ]
    target = aichi.terms.get(code="AICHI-T11")
    assert target.parent is not None
    assert target.parent.code == "AICHI-SC"


def test_aichi_targets_map_to_gbf_targets_across_vocabularies() -> None:
    load_vocabularies(data_files())
    habitat_loss = Term.objects.get(code="AICHI-T5")
    assert codes(habitat_loss.maps_to.all()) == ["GBF-T1"]
    assert codes(Term.objects.get(code="AICHI-T15").maps_to.all()) == ["GBF-T2", "GBF-T8"]
    assert codes(Term.objects.get(code="GBF-T21").mapped_from.all()) == ["AICHI-T1", "AICHI-T18", "AICHI-T19"]
    # Target 17 (NBSAPs) has no GBF target: it maps to nothing rather than to a guess.
    assert not Term.objects.get(code="AICHI-T17").maps_to.exists()


def test_loading_twice_changes_nothing() -> None:
    load_vocabularies(data_files())
    terms = list(Term.objects.values().order_by("pk"))
    links = set(Term.maps_to.through.objects.values_list("from_term_id", "to_term_id"))
    again = load_vocabularies(data_files())
    assert not any(result.changed for result in again)
    assert list(Term.objects.values().order_by("pk")) == terms
    assert set(Term.maps_to.through.objects.values_list("from_term_id", "to_term_id")) == links
    assert set(Vocabulary.objects.values_list("version", flat=True)) == {1}
    assert VocabularyRevision.objects.count() == 7


def test_one_file_resolves_its_mappings_against_vocabularies_already_stored() -> None:
    load_vocabulary(DATA_DIR / "gbf-targets.json")
    result = load_vocabulary(DATA_DIR / "aichi-targets.json")
    assert result.terms == 25
    assert codes(Term.objects.get(code="AICHI-T11").maps_to.all()) == ["GBF-T3"]


def test_a_mapping_to_a_vocabulary_not_loaded_yet_is_refused() -> None:
    with pytest.raises(VocabularyDataError, match="term AICHI-T1 maps to an unknown code 'GBF-T16'"):
        load_vocabulary(DATA_DIR / "aichi-targets.json")
    assert not Vocabulary.objects.exists()


def test_a_changed_label_updates_the_term_in_place(tmp_path: Path) -> None:
    load_vocabularies(data_files())
    before = Term.objects.get(code="GBF-T3")
    directory = copy_of_data(tmp_path)
    edit(directory, "gbf-targets", lambda data: term(data, "GBF-T3")["labels"].update(fr="Conserver 30 %"))
    results = {result.vocabulary.name: result for result in load_vocabularies(data_files(directory))}
    after = Term.objects.get(code="GBF-T3")
    assert (after.pk, after.labels["fr"]) == (before.pk, "Conserver 30 %")
    assert results["gbf-targets"].changed
    assert [name for name, result in results.items() if result.changed] == ["gbf-targets"]


def test_a_term_left_out_of_the_file_is_marked_inactive_not_deleted(tmp_path: Path) -> None:
    load_vocabularies(data_files())
    directory = copy_of_data(tmp_path)

    def withdraw_media(data: dict[str, Any]) -> None:
        data["terms"] = [entry for entry in data["terms"] if entry["code"] != "media"]

    edit(directory, "target-groups", withdraw_media)
    load_vocabularies(data_files(directory))
    media = Term.objects.get(vocabulary__name="target-groups", code="media")
    assert media.is_active is False
    # Back in the file, the same term is in use again.
    load_vocabularies(data_files())
    media.refresh_from_db()
    assert media.is_active is True


def test_a_new_term_in_the_file_is_added_with_its_position(tmp_path: Path) -> None:
    load_vocabularies(data_files())
    directory = copy_of_data(tmp_path)
    labels = {
        "ar": "المزارعون",
        "zh": "农民",
        "en": "Farmers",
        "fr": "Agriculteurs",
        "ru": "Фермеры",
        "es": "Agricultores",
    }
    edit(
        directory,
        "target-groups",
        lambda data: data["terms"].insert(
            0, {"code": "farmers", "labels": labels, "parent": None, "maps_to": []}
        ),
    )
    load_vocabularies(data_files(directory))
    groups = Vocabulary.objects.get(name="target-groups")
    assert codes(groups.terms.all())[:2] == ["farmers", "government"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda data: term(data, "AICHI-T5")["maps_to"].append("GBF-T99"),
            "AICHI-T5 maps to an unknown code 'GBF-T99'",
        ),
        (
            lambda data: term(data, "AICHI-T5").update(parent="AICHI-SZ"),
            "AICHI-T5 has an unknown parent 'AICHI-SZ'",
        ),
        (lambda data: term(data, "AICHI-SA").update(parent="AICHI-T1"), "is its own ancestor"),
        (lambda data: term(data, "AICHI-T5")["labels"].pop("ru"), "missing: ru"),
        (lambda data: data["terms"].append(term(data, "AICHI-T5")), "codes listed twice: AICHI-T5"),
        (lambda data: data.update(name="Aichi targets"), "is not a slug"),
    ],
    ids=["unknown mapping", "unknown parent", "cycle", "missing language", "duplicate code", "bad name"],
)
def test_a_bad_file_is_refused_with_a_clear_error_and_nothing_changes(
    tmp_path: Path, change: Any, message: str
) -> None:
    load_vocabularies(data_files())
    directory = copy_of_data(tmp_path)
    # Another vocabulary of the same run changes too: it must not be written either.
    edit(directory, "gbf-targets", lambda data: term(data, "GBF-T3")["labels"].update(en="Changed"))
    edit(directory, "aichi-targets", change)
    with pytest.raises(VocabularyDataError, match=message):
        load_vocabularies(data_files(directory))
    assert Term.objects.get(code="GBF-T3").labels["en"] != "Changed"
    assert VocabularyRevision.objects.count() == 7


def test_a_file_that_is_not_json_is_refused_with_its_line_and_nothing_changes(tmp_path: Path) -> None:
    directory = copy_of_data(tmp_path)
    broken = directory / "subjects.json"
    broken.write_text(broken.read_text(encoding="utf-8")[:500], encoding="utf-8")
    with pytest.raises(VocabularyDataError, match=r"subjects.json: not valid JSON \(line \d+"):
        load_vocabularies(data_files(directory))
    assert not Vocabulary.objects.exists()


def test_an_edit_made_in_the_admin_survives_loading_an_unchanged_file_again(tmp_path: Path) -> None:
    load_vocabularies(data_files())
    Term.objects.filter(code="SUBJ-FORESTS").update(
        labels={**Term.objects.get(code="SUBJ-FORESTS").labels, "en": "Forests and woodlands"}
    )
    load_vocabularies(data_files())
    assert Term.objects.get(code="SUBJ-FORESTS").labels["en"] == "Forests and woodlands"

    # A new release of the file wins (the admin edit stays in the revision history).
    directory = copy_of_data(tmp_path)
    edit(directory, "subjects", lambda data: data.update(version="2027.1"))
    load_vocabularies(data_files(directory))
    assert Term.objects.get(code="SUBJ-FORESTS").labels["en"] != "Forests and woodlands"
