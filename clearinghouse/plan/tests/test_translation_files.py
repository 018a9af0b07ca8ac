"""The translation files of the action plan (plan/data/translations/): applied by the import,
idempotent, refused whole when they do not fit, and shown to readers as unofficial translations."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils.html import escape

from clearinghouse.core.testing import World
from clearinghouse.plan.importer import import_plan
from clearinghouse.plan.models import Activity, ActivityIndicator, ActivityOutput
from clearinghouse.plan.tests.conftest import PLAN_FILE
from clearinghouse.plan.translations import TRANSLATIONS_DIR, TranslationFileError

THEME_30 = "الأهداف 5، 14، و15 من أهداف أيشي للتنوع البيولوجي (وبطريقة غير مباشرة الأهداف 7، 11، 12، و13)"
THEME_30_FR = "Objectifs 5, 14 et 15 d'Aichi relatifs à la diversité biologique"
TEXT_30 = (
    "Organiser et faciliter des ateliers régionaux de renforcement des capacités sur la conception "
    "des évaluations et des plans nationaux de restauration pour atteindre les Objectifs 5, 14 et 15"
)
ACTIVITY_30 = {
    "text": TEXT_30,
    "outputs": ["Cinq ateliers régionaux organisés", "Profils de pays et plan d'action de l'initiative FERI"],
    "indicators": ["Nombre de Parties et de personnes ayant participé aux ateliers"],
    "partners": "Membres du GPFLR et du CPF",
}


def write(
    folder: Path, language: str, activities: dict[str, Any], themes: dict[str, str] | None = None
) -> Path:
    path = folder / f"{language}.json"
    document = {"language": language, "unofficial": True, "themes": themes or {}, "activities": activities}
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with the committed Arabic source and a French file for activity 30."""
    shutil.copy(TRANSLATIONS_DIR / "ar.json", tmp_path / "ar.json")
    write(tmp_path, "fr", {"30": ACTIVITY_30}, {THEME_30: THEME_30_FR})
    return tmp_path


def snapshot() -> dict[str, Any]:
    return {
        "activities": list(Activity.objects.order_by("pk").values()),
        "outputs": list(ActivityOutput.objects.order_by("pk").values()),
        "indicators": list(ActivityIndicator.objects.order_by("pk").values()),
    }


def test_the_import_applies_the_translation_files(world: World, folder: Path) -> None:
    report = import_plan(PLAN_FILE, translations=folder)
    activity = Activity.objects.get(number=30)
    assert activity.text_translations == {"fr": TEXT_30}
    assert [row.translations for row in activity.outputs.all()] == [
        {"fr": "Cinq ateliers régionaux organisés"},
        {"fr": "Profils de pays et plan d'action de l'initiative FERI"},
    ]
    assert [row.translations for row in activity.indicators.all()] == [
        {"fr": "Nombre de Parties et de personnes ayant participé aux ateliers"}
    ]
    assert activity.partners_translations == {"fr": "Membres du GPFLR et du CPF"}
    # The theme heading is translated on every activity under it, 30 to 35.
    themed = Activity.objects.filter(theme_translations__fr=THEME_30_FR)
    assert sorted(themed.values_list("number", flat=True)) == [30, 31, 32, 33, 34, 35]
    assert Activity.objects.get(number=29).text_translations == {}
    assert report.translations is not None
    assert report.translations.changed == {"fr": 5}
    assert "translations from fr.json: texts changed: fr 5" in report.notes()


def test_a_second_import_with_translations_changes_nothing(world: World, folder: Path) -> None:
    import_plan(PLAN_FILE, translations=folder)
    before = snapshot()
    again = import_plan(PLAN_FILE, translations=folder)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 110)
    assert again.translations is not None and not again.translations.changed
    assert snapshot() == before


def test_a_corrected_file_corrects_the_translation_and_an_emptied_one_removes_it(
    world: World, folder: Path
) -> None:
    import_plan(PLAN_FILE, translations=folder)
    write(folder, "fr", {"30": {**ACTIVITY_30, "text": "Organiser des ateliers régionaux", "partners": ""}})
    import_plan(PLAN_FILE, translations=folder)
    activity = Activity.objects.get(number=30)
    assert activity.text_translations == {"fr": "Organiser des ateliers régionaux"}
    assert activity.partners_translations == {}


def test_a_translation_of_an_arabic_text_that_changed_is_dropped(
    world: World, folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import_plan(PLAN_FILE, translations=folder)
    # The Arabic text of activity 30 is corrected; ar.json and fr.json still hold the old one.
    old = "تنظيم وتيسير حلقات عمل إقليمية لبناء القدرات في مجال تصميم التقييمات"
    corrected = tmp_path_factory.mktemp("plan") / "decision.txt"
    text = PLAN_FILE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    corrected.write_text(text.replace(old, "تنظيم حلقات عمل إقليمية لبناء القدرات في مجال تصميم التقييمات"))
    report = import_plan(corrected, translations=folder)
    activity = Activity.objects.get(number=30)
    assert activity.text_translations == {}
    # Its outputs did not change and keep their translations.
    assert activity.outputs.first().translations == {"fr": "Cinq ateliers régionaux organisés"}  # type: ignore[union-attr]
    assert (
        "activity 30, text: the Arabic differs from ar.json, its translations were not applied"
        in report.notes()
    )


def test_a_translation_made_from_an_outdated_source_is_not_applied(world: World, folder: Path) -> None:
    source = json.loads((folder / "ar.json").read_text(encoding="utf-8"))
    source["activities"]["30"]["outputs"][0] = "نص قديم"
    (folder / "ar.json").write_text(json.dumps(source, ensure_ascii=False), encoding="utf-8")
    report = import_plan(PLAN_FILE, translations=folder)
    outputs = Activity.objects.get(number=30).outputs.all()
    assert [row.translations for row in outputs] == [
        {},
        {"fr": "Profils de pays et plan d'action de l'initiative FERI"},
    ]
    assert report.translations is not None
    assert report.translations.outdated == ["activity 30, output 1"]


@pytest.mark.parametrize(
    ("activities", "themes", "message"),
    [
        (
            {"30": {**ACTIVITY_30, "outputs": ["Cinq ateliers"]}},
            {},
            r"fr.json \(fr\): activity 30: 1 expected outputs translated, the Arabic has 2",
        ),
        (
            {"30": {**ACTIVITY_30, "indicators": []}},
            {},
            r"fr.json \(fr\): activity 30: 0 indicators translated, the Arabic has 1",
        ),
        (
            {"111": ACTIVITY_30},
            {},
            r"fr.json \(fr\): activity 111: the plan has no activity with this number",
        ),
        (
            {"30": ACTIVITY_30},
            {"الهدف 21": "Objectif 21"},
            r"fr.json \(fr\): theme 'الهدف 21' is not a theme heading",
        ),
        (
            {"30": {**ACTIVITY_30, "outputs": "Cinq ateliers"}},
            {},
            r"fr.json: activity 30, outputs: expected a list of texts",
        ),
    ],
)
def test_a_file_that_does_not_fit_the_plan_is_refused_and_nothing_is_saved(
    world: World, folder: Path, activities: dict[str, Any], themes: dict[str, str], message: str
) -> None:
    write(folder, "fr", activities, themes)
    with pytest.raises(TranslationFileError, match=message):
        import_plan(PLAN_FILE, translations=folder)
    # Not even the Arabic: the import is one transaction, and the files are checked first.
    assert not Activity.objects.exists()


def test_a_file_named_after_another_language_is_refused(world: World, folder: Path) -> None:
    (folder / "fr.json").rename(folder / "es.json")
    with pytest.raises(TranslationFileError, match=r"es\.json: its language is 'fr'"):
        import_plan(PLAN_FILE, translations=folder)


def test_the_command_names_the_file_and_activity_of_a_refused_translation(world: World, folder: Path) -> None:
    import_plan(PLAN_FILE, translations=folder)
    before = snapshot()
    write(folder, "fr", {"30": {**ACTIVITY_30, "text": "Autre texte", "outputs": []}})
    with pytest.raises(
        CommandError, match=r"fr.json \(fr\): activity 30: 0 expected outputs .*nothing was imported"
    ):
        call_command("importplan", str(PLAN_FILE), "--translations", str(folder), stdout=StringIO())
    assert snapshot() == before


def test_the_command_dumps_the_arabic_source_as_committed(db: None) -> None:
    out = StringIO()
    call_command("importplan", str(PLAN_FILE), "--dump-source", stdout=out)
    # ar.json is what the translations were made from: it must be the dump of the current text,
    # or a corrected Arabic text would silently keep old translations out.
    assert json.loads(out.getvalue()) == json.loads(
        (TRANSLATIONS_DIR / "ar.json").read_text(encoding="utf-8")
    )
    assert not Activity.objects.exists()


@pytest.fixture
def translated(world: World, folder: Path) -> None:
    import_plan(PLAN_FILE, translations=folder)


def test_french_readers_see_the_translation_marked_unofficial_with_the_arabic_at_hand(
    translated: None, client: Client
) -> None:
    page = client.get("/fr/plan/30/").content.decode()
    assert f'<div lang="fr" dir="ltr">{TEXT_30}</div>' in page
    assert "Traduction non officielle" in page
    assert '<div lang="ar" dir="rtl">تنظيم وتيسير حلقات عمل إقليمية' in page
    assert '<span lang="fr" dir="ltr">Cinq ateliers régionaux organisés</span>' in page
    assert '<span lang="fr" dir="ltr">Membres du GPFLR et du CPF</span>' in page
    assert 'href="?original=ar"' in page
    original = client.get("/fr/plan/30/?original=ar").content.decode()
    assert TEXT_30 not in original
    assert '<span lang="ar" dir="rtl">تم تنظيم خمس حلقات عمل إقليمية</span>' in original
    assert "Afficher la traduction non officielle" in original


def test_english_readers_of_a_translated_plan_see_the_arabic_original_marked_as_such(
    translated: None, client: Client
) -> None:
    page = client.get("/en/plan/30/").content.decode()
    assert TEXT_30 not in page
    assert 'class="original-mark"' in page
    # Nothing on the page is translated into English: no note about translations.
    assert "Unofficial translation" not in page


def test_the_plan_index_shows_translations_with_the_note_and_keeps_filters_with_the_original(
    translated: None, client: Client
) -> None:
    page = client.get("/fr/plan/?section=B").content.decode()
    assert f'<div lang="fr" dir="ltr">{TEXT_30}</div>' in page
    assert f'<span lang="fr" dir="ltr">{escape(THEME_30_FR)}</span>' in page
    assert "Traduction non officielle" in page
    assert 'href="?section=B&amp;original=ar"' in page
    original = client.get("/fr/plan/?section=B&original=ar").content.decode()
    assert '<input type="hidden" name="original" value="ar">' in original
    assert TEXT_30 not in original


def test_the_api_gives_the_original_and_its_translations(translated: None, client: Client) -> None:
    body = client.get("/api/v1/plan/activities/30/").json()
    assert body["text"]["translations"] == {"fr": TEXT_30}
    assert body["partners_text"] == {
        "language": "ar",
        "original": "GPFLR and CPF members",
        "translations": {"fr": "Membres du GPFLR et du CPF"},
    }
    assert body["outputs"][0]["text"]["translations"] == {"fr": "Cinq ateliers régionaux organisés"}


def test_the_committed_translations_import_and_a_second_import_changes_nothing(
    world: World, client: Client
) -> None:
    first = import_plan(PLAN_FILE, translations=TRANSLATIONS_DIR)
    assert first.translations is not None and first.translations.outdated == []
    activity = Activity.objects.get(number=89)
    # Every language with a file translates the activity, its items and its partners.
    languages = {path.stem.replace("zh-hans", "zh") for path in TRANSLATIONS_DIR.glob("*.json")} - {"ar"}
    assert {"en", "fr", "es"} <= languages
    assert set(activity.text_translations) == languages
    assert set(activity.partners_translations) == languages
    assert all(set(row.translations) == languages for row in activity.indicators.all())
    before = snapshot()
    again = import_plan(PLAN_FILE, translations=TRANSLATIONS_DIR)
    assert again.translations is not None and not again.translations.changed
    assert snapshot() == before
    page = client.get("/es/plan/89/").content.decode()
    assert "Protocolo de Nagoya" in page
    assert "Traducción no oficial." in page
