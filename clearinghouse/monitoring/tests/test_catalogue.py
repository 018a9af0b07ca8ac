"""The catalogue of indicators: a file checked against the plan and the measures, loaded by code
in one transaction, again and again without change."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clearinghouse.monitoring import catalogue
from clearinghouse.monitoring.catalogue import CatalogueError, load, read
from clearinghouse.monitoring.models import Computation, Indicator, Method, Target, Unit, Value
from clearinghouse.plan.importer import import_plan
from clearinghouse.plan.models import Activity, ActivityIndicator, Section

pytestmark = pytest.mark.django_db

SMALL = Path(__file__).parent / "data" / "small-catalogue.yaml"
PLAN_FILE = "clearinghouse/plan/data/decision-XIII-23-ar.txt"


@pytest.fixture
def plan() -> None:
    """A plan of two activities: 1 with two indicator items, 5 with two."""
    for number in (1, 5):
        activity = Activity.objects.create(number=number, section=Section.CROSS_CUTTING, text_original="نشاط")
        for position in (1, 2):
            ActivityIndicator.objects.create(
                activity=activity,
                position=position,
                text=f"مؤشر {number}.{position}",
                translations={"en": f"Indicator {number}.{position}"},
            )


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = SMALL.read_text(encoding="utf-8")
    assert old in text, old  # the fixture still has what the test breaks
    path = tmp_path / "catalogue.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_a_catalogue_loads_its_indicators_and_loading_it_again_changes_nothing(plan: None) -> None:
    report = load(SMALL)
    assert sorted(report.created) == ["1.1", "1.2", "5.1", "5.2a", "5.2b"]
    whole = Indicator.objects.get(code="1.1")
    assert whole.item is not None and (whole.item.activity.number, whole.item.position) == (1, 1)
    # A whole item shows the annex's texts; a part shows its own.
    assert whole.names == {} and whole.texts["en"] == "Indicator 1.1"
    assert whole.disaggregations == ["region", "party"]
    assert (whole.baseline_year, whole.baseline_value) == (2016, 0)
    part = Indicator.objects.get(code="5.2b")
    assert (part.part, part.method, part.texts["fr"]) == (2, Method.NOT_YET, "Communautés")
    manual = Indicator.objects.get(code="1.2")
    assert set(manual.reasons) == {"ar", "zh", "en", "fr", "ru", "es"}
    assert manual.reasons["en"] == "Only Parties know this: entered with evidence from national reports."
    # Rendered in each language from the catalogues, not copied from the English.
    assert manual.reasons["fr"].startswith("Seules les Parties le savent")
    assert manual.reasons["ar"] != manual.reasons["en"]
    stock = Indicator.objects.get(code="5.1")
    assert stock.activity_only and stock.cumulative and stock.unit == Unit.COUNT
    assert [(t.period_start, t.period_end, t.value) for t in stock.targets.all()] == [(2025, 2026, 40)]
    # The file's order is the indicators' order.
    assert list(Indicator.objects.values_list("code", flat=True)) == ["1.1", "1.2", "5.1", "5.2a", "5.2b"]

    again = load(SMALL)
    assert (again.created, again.updated, again.unchanged, again.removed) == ([], [], 5, [])
    assert Target.objects.count() == 1


def test_a_change_in_the_file_updates_the_indicator_in_place(plan: None, tmp_path: Path) -> None:
    load(SMALL)
    first = Indicator.objects.get(code="1.2")
    changed = _broken(tmp_path, "reason: national_data", "reason: judgement")
    report = load(changed)
    assert report.updated == ["1.2"]
    after = Indicator.objects.get(code="1.2")
    assert after.pk == first.pk
    assert after.reasons["en"] == "A judgement, not a count: assessed by the Secretariat with evidence."


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("area: plan", "area: garden", "line 5, 1.2: area 'garden' is not one of"),
        (
            "numerator: need.published,\n",
            "numerator: need.counted,\n",
            "line 3, 1.1: numerator 'need.counted'",
        ),
        ("[region, party]", "[region, gender]", "line 3, 1.1: need.published has no dimension 'gender'"),
        (
            "reason: national_data",
            "reason: guesswork",
            "line 5, 1.2: a manual indicator needs a reason among",
        ),
        ("reason: later_module", "reason: national_data", "5.2b: a not_yet indicator needs a reason among"),
        ('code: "1.2"', 'code: "1.1"', "line 5, 1.1: the code is used already on line 3"),
        ('code: "1.2"', 'code: "1.3"', "activity 1 has no indicator 3"),
        ('code: "1.2"', 'code: "1.2a"', "1.2: an item is either whole"),
        ("    names: {ar: المجتمعات", "    nomen: {ar: المجتمعات", "unknown key 'nomen'"),
        ("zh: 社区, ", "", "5.2b: names missing in zh"),
        (
            "method: manual, reason",
            "method: manual, unit: share, factor: 100, reason",
            "'factor' is only for",
        ),
        ("from: 2025, to: 2026", "from: 2026, to: 2025", "a target's period ends before it starts"),
        (
            "area: plan, method: manual",
            "area: plan, unit: amount, method: manual",
            "an amount needs its currency",
        ),
    ],
)
def test_every_problem_is_named_with_its_line_and_code_and_nothing_is_loaded(
    plan: None, tmp_path: Path, old: str, new: str, message: str
) -> None:
    with pytest.raises(CatalogueError) as raised:
        load(_broken(tmp_path, old, new))
    assert any(message in problem for problem in raised.value.problems), raised.value.problems
    assert not Indicator.objects.exists()


def test_an_item_left_out_is_named(plan: None, tmp_path: Path) -> None:
    path = _broken(tmp_path, '  - {code: "1.2", area: plan, method: manual, reason: national_data}\n', "")
    with pytest.raises(CatalogueError) as raised:
        read(path)
    assert raised.value.problems == ["1.2: indicator 2 of activity 1 is missing"]


def test_activity_only_needs_a_measure_that_knows_the_activities(plan: None, tmp_path: Path) -> None:
    # need.published knows them; a measure without ``activities`` cannot count one activity.
    measures = catalogue.measures()
    no_activities = {**measures, "need.published": _without_activities(measures["need.published"])}
    with pytest.raises(CatalogueError) as raised:
        read(SMALL, catalogue=no_activities)
    assert any("activity_only cannot apply" in problem for problem in raised.value.problems)


def _without_activities(measure: catalogue.Measure) -> catalogue.Measure:
    from dataclasses import replace

    return replace(measure, activities="")


def test_an_indicator_dropped_from_the_file_goes_unless_it_has_values(plan: None, tmp_path: Path) -> None:
    load(SMALL)
    computation = Computation.objects.create(start=date(2025, 1, 1), end=date(2025, 12, 31))
    Value.objects.create(computation=computation, indicator=Indicator.objects.get(code="5.1"), value=3)
    # Activity 5's second item becomes whole: its parts go; 5.1 is left out but has values.
    shorter = tmp_path / "shorter.yaml"
    shorter.write_text(
        "indicators:\n"
        '  - {code: "1.1", area: needs, method: computed, numerator: need.published}\n'
        '  - {code: "1.2", area: plan, method: manual, reason: national_data}\n'
        '  - {code: "5.2", area: plan, method: manual, reason: judgement}\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError):
        load(shorter)  # 5.1 is missing: the file must still cover every item
    Activity.objects.get(number=5).indicators.filter(position=1).delete()
    report = load(shorter)
    assert report.created == ["5.2"] and report.removed == ["5.2a", "5.2b"] and report.kept == ["5.1"]
    assert Indicator.objects.filter(code="5.1").exists()


def test_the_command_reports_problems_and_changes_nothing(plan: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"(?s)area 'garden'.*nothing was changed"):
        call_command("loadindicators", "--file", str(_broken(tmp_path, "area: plan", "area: garden")))
    assert not Indicator.objects.exists()


def test_the_summary_counts_methods_by_area_and_reasons(plan: None) -> None:
    out = StringIO()
    call_command("loadindicators", "--file", str(SMALL), "--summary", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "5 indicators: 3 computed, 1 manual, 1 not_yet"
    assert "needs               3        0        0" in lines
    assert "reasons: later_module=1, national_data=1" in lines
    assert any(line.startswith("  5.2b (Communities): Counted once") for line in lines)
    assert lines[-1] == "indicators created=5 updated=0 unchanged=0 removed=0 kept=0"


def test_the_plans_catalogue_loads() -> None:
    # Needs every measure the apps declare (shared codes): the real file over the real plan.
    import_plan(PLAN_FILE)
    report = load()
    items = ActivityIndicator.objects.count()
    assert items == 193
    covered = {indicator.item_id for indicator in Indicator.objects.all()}
    assert len(covered) == items
    assert len(report.created) == Indicator.objects.count() > items
    assert not Indicator.objects.filter(method=Method.COMPUTED, numerator="").exists()


@pytest.mark.parametrize("code", sorted(catalogue.REASONS))
def test_every_reason_is_written_in_the_six_languages(code: str) -> None:
    texts = catalogue.reason_texts(code)
    assert set(texts) == {"ar", "zh", "en", "fr", "ru", "es"}
    # A language whose catalogue lacks the text would show the English.
    assert all(texts[language] != texts["en"] for language in ("ar", "zh", "fr", "ru", "es")), texts
