"""The shared evaluation templates load from their data file, every text in the six languages."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from clearinghouse.events import surveys
from clearinghouse.events.models import SurveyQuestionKind, SurveyTemplate
from clearinghouse.events.tests.survey_helpers import SIX

pytestmark = pytest.mark.django_db


def test_the_three_templates_load_with_every_question_in_the_six_languages() -> None:
    loaded = surveys.load_templates()
    assert (loaded.templates, loaded.changed) == (3, 3)
    names = {template.name["en"] for template in SurveyTemplate.objects.all()}
    assert names == {
        "Training evaluation",
        "Workshop or meeting evaluation",
        "Matchmaking round table evaluation",
    }
    for template in SurveyTemplate.objects.all():
        assert all(template.name[code] for code in SIX)
        for question in template.questions:
            assert question["kind"] in SurveyQuestionKind.values
            assert all(question["text"][code] for code in SIX), question
            for choice in question["choices"]:
                assert all(choice[code] for code in SIX), choice


def test_the_round_table_template_asks_about_meetings_partners_and_follow_up() -> None:
    surveys.load_templates()
    template = SurveyTemplate.objects.get(name__en="Matchmaking round table evaluation")
    texts = " ".join(question["text"]["en"] for question in template.questions)
    assert "meetings" in texts and "partners" in texts and "follow up" in texts


def test_loading_again_changes_nothing_and_keeps_the_secretariats_own() -> None:
    surveys.load_templates()
    SurveyTemplate.objects.create(
        name={"en": "Study visit"}, questions=[{"text": {"en": "Useful?"}, "kind": "yes_no"}]
    )
    again = surveys.load_templates()
    assert (again.templates, again.changed) == (4, 0)


def test_a_changed_text_in_the_file_updates_its_template(tmp_path: Path) -> None:
    surveys.load_templates()
    items = json.loads(surveys.TEMPLATES_FILE.read_text(encoding="utf-8"))
    items[0]["questions"][0]["text"]["fr"] = "Pertinence ?"
    changed = tmp_path / "templates.json"
    changed.write_text(json.dumps(items), encoding="utf-8")
    assert surveys.load_templates(changed).changed == 1
    assert (
        SurveyTemplate.objects.get(name__en="Training evaluation").questions[0]["text"]["fr"]
        == "Pertinence ?"
    )


def test_a_question_missing_a_language_stops_the_load_and_nothing_is_loaded(tmp_path: Path) -> None:
    items = json.loads(surveys.TEMPLATES_FILE.read_text(encoding="utf-8"))
    del items[2]["questions"][1]["text"]["ru"]
    broken = tmp_path / "templates.json"
    broken.write_text(json.dumps(items), encoding="utf-8")
    with pytest.raises(surveys.SurveyDataError, match="question 2: missing in ru"):
        surveys.load_templates(broken)
    assert not SurveyTemplate.objects.exists()


def test_a_choice_question_without_choices_is_refused(tmp_path: Path) -> None:
    items = json.loads(surveys.TEMPLATES_FILE.read_text(encoding="utf-8"))
    items[1]["questions"][2]["choices"] = []
    broken = tmp_path / "templates.json"
    broken.write_text(json.dumps(items), encoding="utf-8")
    with pytest.raises(surveys.SurveyDataError, match="at least two choices"):
        surveys.load_templates(broken)


def test_loadreference_loads_the_survey_templates() -> None:
    out = StringIO()
    call_command("loadreference", stdout=out)
    assert " survey_templates=3 " in out.getvalue()
    assert SurveyTemplate.objects.count() == 3
