"""The standards file becomes versions: the first load puts each standard and checklist template
in force, a reload changes nothing, a changed text makes a new version and retires the old one,
and a wrong file changes nothing and says where it is wrong."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command

from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.quality import standards
from clearinghouse.quality.models import (
    AppliesTo,
    ChecklistTemplate,
    Criterion,
    Standard,
    TemplateStep,
    VersionStatus,
)

pytestmark = pytest.mark.django_db


def _document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(standards.STANDARDS_FILE.read_text(encoding="utf-8"))
    return loaded


def _write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "standards.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_the_file_has_a_standard_for_every_kind_and_three_checklists_in_six_languages() -> None:
    found_standards, templates = standards.read()
    assert {entry.applies_to for entry in found_standards} == set(AppliesTo.values)
    for entry in found_standards:
        # Each standard has 6 to 10 criteria, under more than one heading.
        assert 6 <= len(entry.content["parts"]) <= 10, entry.code
        assert len({tuple(sorted(part["group"].items())) for part in entry.content["parts"]}) > 1
        for part in entry.content["parts"]:
            assert set(part["text"]) == set(CONTENT_LANGUAGES), entry.code
            assert set(part["guidance"]) == set(CONTENT_LANGUAGES), entry.code
            assert set(part["group"]) == set(CONTENT_LANGUAGES), entry.code
    assert {entry.applies_to for entry in templates} == {
        AppliesTo.EVENT,
        AppliesTo.COURSE,
        AppliesTo.MATERIAL,
    }
    for entry in templates:
        assert 8 <= len(entry.content["parts"]) <= 12, entry.code
        # Some steps require evidence, not all.
        assert (
            0
            < sum(part["evidence_required"] for part in entry.content["parts"])
            < len(entry.content["parts"])
        )
        assert set(entry.content["title"]) == set(CONTENT_LANGUAGES)


def test_the_first_load_puts_each_standard_and_template_in_force_as_version_1() -> None:
    report = standards.load()
    assert len(report.created) == 8
    assert Standard.objects.filter(status=VersionStatus.IN_FORCE, version=1).count() == 5
    assert ChecklistTemplate.objects.filter(status=VersionStatus.IN_FORCE, version=1).count() == 3
    events = Standard.objects.get(code="training-events")
    assert events.put_in_force_at is not None
    assert events.min_reviews == 2 and events.anonymous_reviews
    assert [criterion.position for criterion in events.criteria.all()] == list(range(1, 9))
    assert events.criteria.first().group["fr"] == "Conception"  # type: ignore[union-attr]
    step = TemplateStep.objects.get(template__code="organising-training-event", position=1)
    assert step.evidence_required and step.text["ar"] == "أُجري تقييم الاحتياجات."


def test_loading_the_same_file_again_changes_nothing() -> None:
    standards.load()
    rows = (Standard.objects.count(), Criterion.objects.count(), TemplateStep.objects.count())
    report = standards.load()
    assert not report.created and not report.new_versions
    assert len(report.unchanged) == 8
    assert (Standard.objects.count(), Criterion.objects.count(), TemplateStep.objects.count()) == rows


def test_a_changed_text_makes_a_new_version_in_force_and_retires_the_old_one(tmp_path: Path) -> None:
    standards.load()
    document = _document()
    document["standards"][0]["criteria"][0]["text"]["es"] = "El evento responde a necesidades documentadas."
    report = standards.load(_write(tmp_path, document))
    assert report.new_versions == ["training-events"]
    versions = dict(Standard.objects.filter(code="training-events").values_list("version", "status"))
    assert versions == {1: VersionStatus.RETIRED, 2: VersionStatus.IN_FORCE}
    new = Standard.objects.get(code="training-events", version=2)
    assert new.criteria.get(position=1).text["es"] == "El evento responde a necesidades documentadas."
    # The retired version keeps its own text: what was answered against it still reads right.
    old = Standard.objects.get(code="training-events", version=1)
    assert old.criteria.get(position=1).text["es"].startswith("El evento se basa")
    # The others did not move.
    assert Standard.objects.filter(code="courses").count() == 1
    # And the changed file loaded again is idempotent too.
    assert standards.load(_write(tmp_path, document)).new_versions == []


def test_a_changed_setting_or_a_removed_step_is_a_new_version_too(tmp_path: Path) -> None:
    standards.load()
    document = _document()
    document["standards"][1]["max_rounds"] = 2
    del document["checklists"][0]["steps"][-1]
    report = standards.load(_write(tmp_path, document))
    assert sorted(report.new_versions) == ["courses", "organising-training-event"]
    template = ChecklistTemplate.objects.get(code="organising-training-event", status=VersionStatus.IN_FORCE)
    assert template.version == 2 and template.steps.count() == 10


def test_reloading_an_older_file_does_not_undo_a_newer_version_made_on_the_site(world: Any) -> None:
    standards.load()
    current = Standard.objects.get(code="courses")
    draft = standards.start_draft(world.secretariat, current)
    standards.edit_draft(world.secretariat, draft, title={"en": "Courses: the 2027 standard"}, summary={})
    standards.put_in_force(world.secretariat, draft)
    report = standards.load()
    assert report.superseded == ["courses"]
    in_force = Standard.objects.get(code="courses", status=VersionStatus.IN_FORCE)
    assert in_force.version == 2 and in_force.title == {"en": "Courses: the 2027 standard"}


def test_a_wrong_file_is_refused_with_every_problem_and_changes_nothing(tmp_path: Path) -> None:
    document = _document()
    document["standards"][0]["applies_to"] = "webinar"
    document["standards"][1]["criteria"][0]["scale"] = "stars"
    document["standards"][2]["criteria"][0]["group"] = "nowhere"
    document["standards"][3]["max_rounds"] = 9
    del document["checklists"][0]["steps"][0]["text"]["en"]
    document["checklists"][1]["code"] = document["checklists"][2]["code"]
    with pytest.raises(standards.StandardsFileError) as refused:
        standards.load(_write(tmp_path, document))
    problems = "\n".join(refused.value.problems)
    assert "applies_to must be one of" in problems
    assert "scale must be one of" in problems
    assert "unknown group 'nowhere'" in problems
    assert "max_rounds: expected a whole number from 1 to 5" in problems
    assert "steps[1].text: no text in the original language (en)" in problems
    assert "the code producing-guidance-material is used twice" in problems
    assert not Standard.objects.exists() and not ChecklistTemplate.objects.exists()


def test_a_code_keeps_its_kind(tmp_path: Path) -> None:
    standards.load()
    document = _document()
    document["standards"][0]["applies_to"] = "course"
    with pytest.raises(standards.StandardsFileError, match="a code keeps its kind"):
        standards.load(_write(tmp_path, document))
    assert Standard.objects.filter(code="training-events").count() == 1


def test_the_command_loads_and_reports_and_refuses_a_broken_file(tmp_path: Path) -> None:
    out = StringIO()
    call_command("loadstandards", stdout=out)
    assert "created=8" in out.getvalue()
    out = StringIO()
    call_command("loadstandards", stdout=out)
    assert "created=0 new_versions=0 unchanged=8" in out.getvalue()
    broken = tmp_path / "broken.yaml"
    broken.write_text("standards: [oops", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("loadstandards", file=broken)
