"""`import_plan` / `clearinghouse importplan`: the annex of decision XIII/23 in the database, checked
against facts read in the Arabic text itself (clearinghouse/plan/data/decision-XIII-23-ar.txt)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from clearinghouse.core.testing import World
from clearinghouse.organisations.models import Organisation, OrganisationType
from clearinghouse.plan.importer import ImportReport, import_plan
from clearinghouse.plan.models import Activity, ActivityIndicator, ActivityOutput
from clearinghouse.plan.tests.conftest import PLAN_FILE

SUMMARY = "plan activities=110 sections=A:9,B:79,C:8,D:14 priority=70 secretariat=36 unparsed=0"


def acronyms(activity: Activity) -> set[str]:
    return {organisation.acronym for organisation in activity.partners.all()}


def test_the_import_gives_the_counts_of_the_decision(plan: ImportReport) -> None:
    assert plan.summary == SUMMARY
    assert plan.problems == []
    assert (plan.created, plan.updated, plan.unchanged) == (110, 0, 0)


def test_activity_1_is_imported_as_the_annex_writes_it(plan: ImportReport) -> None:
    activity = Activity.objects.get(number=1)
    assert activity.section == "A"
    assert activity.theme == ""
    assert activity.text_original.startswith("إعداد أدوات على الإنترنت لتمكين الأطراف")
    # "(S)" and the asterisk are flags, not text.
    assert activity.text_original.endswith("في آلية غرفة تبادل المعلومات (CHM)")
    assert (activity.priority, activity.secretariat) == (True, True)
    # "المقرر 2/12 ... والمقرر 2/11": the Arabic number/meeting order, cited the usual way.
    assert activity.decisions == ["decision XII/2", "decision XI/2"]
    assert (activity.timeframe_text, activity.start_year, activity.end_year) == ("2020-2017", 2017, 2020)
    assert [item.text for item in activity.indicators.all()] == [
        "الاتجاهات في عدد الأطراف التي تستخدم الأشكال المشتركة لتقييم وتسجيل احتياجاتها إلى بناء القدرات "
        "والتعاون التقني والعلمي في آلية غرفة تبادل المعلومات",
        "الاتجاهات في عدد الأطراف التي قدمت طلبات للمساعدة",
        "عدد الاحتياجات المفصلة في قاعدة البيانات المتطابقة مع الدعم المتاح",
    ]
    assert activity.outputs.count() == 1
    # "BBI, IPBES, UNDP/ BES-Net, NBSAP Forum (UNDP, UNEP-WCMC), CTCN"
    assert acronyms(activity) == {"BBI", "IPBES", "UNDP", "BES-Net", "UNEP-WCMC", "CTCN"}
    # The NBSAP Forum is no registered organisation: its name is kept as written.
    assert activity.other_partners == ["NBSAP Forum (UNDP, UNEP-WCMC)"]
    assert activity.aichi_targets.count() == 0


def test_activity_30_takes_its_aichi_targets_from_its_theme(plan: ImportReport) -> None:
    activity = Activity.objects.get(number=30)
    assert activity.section == "B"
    # "الأهداف 5، 14، و15 ... (وبطريقة غير مباشرة الأهداف 7، 11، 12، و13)": the indirect ones count.
    assert activity.theme.startswith("الأهداف 5، 14، و15 من أهداف أيشي")
    codes = [term.code for term in activity.aichi_targets.order_by("position")]
    assert codes == [f"AICHI-T{n}" for n in (5, 7, 11, 12, 13, 14, 15)]
    # Derived through the vocabulary's mapping (README of vocabularies/data), never stored.
    assert [term.code for term in activity.gbf_targets()] == [f"GBF-T{n}" for n in (1, 2, 3, 4, 8, 10, 11)]
    assert activity.decisions == ["decision XII/19", "decision XI/16", "decision XII/1"]
    # "تم تنظيم خمس حلقات عمل إقليمية؛ وخطة عمل ...": two outputs either side of the semicolon.
    assert activity.outputs.count() == 2
    # "GPFLR ¹⁷ and CPF members ¹⁸": footnote marks dropped, both organisations linked.
    assert acronyms(activity) == {"GPFLR", "CPF"}
    assert activity.other_partners == ["GPFLR and CPF members"]


def test_activity_89_links_partners_named_in_arabic(plan: ImportReport) -> None:
    activity = Activity.objects.get(number=89)
    assert (activity.section, activity.priority, activity.secretariat) == ("C", True, False)
    assert activity.decisions == ["decision NP-I/8"]
    # "2020-2017 مستمر" (ongoing): the years, and the words kept.
    assert (activity.timeframe_text, activity.start_year, activity.end_year) == (
        "2020-2017 مستمر",
        2017,
        2020,
    )
    assert activity.indicators.count() == 7
    # مرفق البيئة العالمية (GEF), المنظمة الدولية لقانون التنمية (IDLO), الاتحاد الدولي لحفظ الطبيعة (IUCN)...
    assert {
        "GEF",
        "IDLO",
        "IUCN",
        "ITPGRFA",
        "UNEP",
        "UNDP",
        "FAO",
        "UNCTAD",
        "ABS",
        "ACB",
        "SPREP",
    } == acronyms(activity)
    assert "الجماعة الكاريبية" in activity.other_partners  # CARICOM, not in the list of abbreviations


def test_activity_97_cites_cartagena_decisions_in_their_current_form(plan: ImportReport) -> None:
    activity = Activity.objects.get(number=97)
    assert activity.section == "D"
    # "المقرر BS-VII/5 ... والمقرر BS-VII/1": the older prefix of the Cartagena Protocol's decisions.
    assert activity.decisions == ["decision CP-VII/5", "decision CP-VII/1"]
    assert (activity.start_year, activity.end_year) == (2017, 2018)
    assert activity.partners.count() == 0
    assert activity.other_partners == ["جامعة ستراتيشكلايد"]  # the University of Strathclyde


def test_an_abbreviation_becomes_an_organisation_with_its_website(plan: ImportReport) -> None:
    # "- BBI = مبادرة الجسر البيولوجي (http://www.cbd.int/biobridge)"
    bbi = Organisation.objects.get(acronym="BBI")
    assert (bbi.name, bbi.name_language) == ("مبادرة الجسر البيولوجي", "ar")
    assert bbi.website == "http://www.cbd.int/biobridge"
    assert bbi.country is None
    # "- FAO = ... (www.fao.org)": a scheme is added where the list gives none.
    fao = Organisation.objects.get(acronym="FAO")
    assert fao.website == "https://www.fao.org"
    assert fao.type == OrganisationType.UN_BODY
    assert Organisation.objects.get(acronym="IDLO").type == OrganisationType.INTERGOVERNMENTAL
    assert Organisation.objects.get(acronym="IPBES").type == OrganisationType.INTERGOVERNMENTAL
    assert Organisation.objects.get(acronym="UNEP-WCMC").type == OrganisationType.UN_BODY
    assert Organisation.objects.get(acronym="WWF").type == OrganisationType.NGO
    # "- IWBN = ..." with no address.
    assert Organisation.objects.get(acronym="IWBN").website == ""
    assert set(Activity.objects.get(number=90).partners.all()) >= {Organisation.objects.get(acronym="IDLO")}


def test_entries_that_are_not_organisations_are_left_out(plan: ImportReport) -> None:
    assert plan.abbreviations_skipped == ["NBSAP", "SBI", "SBSTTA", "WG8J"]
    assert not Organisation.objects.filter(acronym__in=["NBSAP", "SBI", "SBSTTA", "WG8J"]).exists()
    assert len(plan.organisations_created) == 95 - 4


def test_an_organisation_already_registered_is_not_registered_again(world: World, targets: None) -> None:
    gef = Organisation.objects.create(
        name="Global Environment Facility", name_language="en", acronym="GEF", type=OrganisationType.FUNDING
    )
    report = import_plan(PLAN_FILE)
    assert "GEF" in report.organisations_found
    assert list(Organisation.objects.filter(acronym__iexact="gef")) == [gef]
    gef.refresh_from_db()
    assert (gef.name, gef.type) == ("Global Environment Facility", OrganisationType.FUNDING)
    # Activity 26 names "GEF"; activity 89 "مرفق البيئة العالمية", its name in the list.
    assert gef.plan_activities.filter(number__in=[26, 89]).count() == 2


def _snapshot() -> dict[str, Any]:
    return {
        "activities": list(Activity.objects.order_by("number").values()),
        "outputs": list(ActivityOutput.objects.order_by("pk").values()),
        "indicators": list(ActivityIndicator.objects.order_by("pk").values()),
        "organisations": list(Organisation.objects.order_by("pk").values("pk", "acronym", "name", "website")),
        "partners": list(Activity.partners.through.objects.order_by("pk").values()),
        "aichi": list(Activity.aichi_targets.through.objects.order_by("pk").values()),
    }


def test_a_second_import_changes_nothing(plan: ImportReport) -> None:
    before = _snapshot()
    again = import_plan(PLAN_FILE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 110)
    assert again.organisations_created == []
    assert again.summary == plan.summary
    # Row for row, including the primary keys: nothing was deleted and created again.
    assert _snapshot() == before


def test_a_second_import_keeps_the_translations(plan: ImportReport) -> None:
    Activity.objects.filter(number=1).update(text_translations={"en": "Develop online tools"})
    ActivityOutput.objects.filter(activity__number=1).update(translations={"en": "Common formats"})
    import_plan(PLAN_FILE)
    assert Activity.objects.get(number=1).text_translations == {"en": "Develop online tools"}
    assert ActivityOutput.objects.get(activity__number=1).translations == {"en": "Common formats"}


def test_a_corrected_row_updates_its_activity_and_only_what_changed(
    plan: ImportReport, tmp_path: Path
) -> None:
    Activity.objects.filter(number=1).update(text_translations={"en": "Develop online tools"})
    ActivityIndicator.objects.filter(activity__number=1).update(translations={"en": "Trends"})
    kept = list(
        ActivityIndicator.objects.filter(activity__number=1).order_by("position").values("pk", "text")
    )
    text = PLAN_FILE.read_text(encoding="utf-8")
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(
        text.replace("إعداد أدوات على الإنترنت لتمكين", "إعداد أدوات إلكترونية لتمكين")
        .replace("التي قدمت طلبات للمساعدة", "التي قدمت طلبات مفصلة للمساعدة")
        .replace("(UNDP, UNEP-WCMC), CTCN\t", "(UNDP, UNEP-WCMC)\t"),
        encoding="utf-8",
    )
    report = import_plan(corrected)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 109)
    activity = Activity.objects.get(number=1)
    assert activity.text_original.startswith("إعداد أدوات إلكترونية لتمكين")
    # The translation translated the old text.
    assert activity.text_translations == {}
    assert "CTCN" not in acronyms(activity)
    indicators = list(activity.indicators.order_by("position"))
    assert [indicator.pk for indicator in indicators] == [row["pk"] for row in kept]
    assert indicators[1].text == kept[1]["text"].replace("طلبات للمساعدة", "طلبات مفصلة للمساعدة")
    assert [indicator.translations for indicator in indicators] == [{"en": "Trends"}, {}, {"en": "Trends"}]


def test_without_the_aichi_vocabulary_the_import_says_so_and_goes_on(world: World) -> None:
    report = import_plan(PLAN_FILE)
    assert report.summary == SUMMARY
    assert not report.aichi_vocabulary_loaded
    assert any("aichi-targets vocabulary is not loaded" in note for note in report.notes())
    assert not Activity.aichi_targets.through.objects.exists()


def test_the_command_prints_the_problems_then_the_counts_last(world: World, tmp_path: Path) -> None:
    text = PLAN_FILE.read_text(encoding="utf-8")
    # A stray line between two rows of the table: the parser reports it rather than guess.
    marker = "\n30. *"
    row_start = text.rindex("\n", 0, text.index(marker[1:])) + 1
    broken = tmp_path / "broken.txt"
    broken.write_text(f"{text[:row_start]}a stray line\n{text[row_start:]}", encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("importplan", str(broken), stdout=out, stderr=err)
    assert "a stray line" in err.getvalue()
    assert "text between table rows is not a heading or footnote" in err.getvalue()
    assert out.getvalue().splitlines()[-1] == SUMMARY.replace("unparsed=0", "unparsed=1")


def test_the_command_refuses_a_missing_file(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("importplan", str(tmp_path / "missing.txt"), stdout=StringIO())
