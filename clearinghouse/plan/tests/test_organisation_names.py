"""The partner organisations' names in the six languages, given by the plan import from
clearinghouse/plan/data/organisation-names.json (the annex names them in Arabic only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.core.testing import World
from clearinghouse.organisations.models import Organisation, OrganisationType
from clearinghouse.plan import importer
from clearinghouse.plan.importer import ImportReport, import_plan
from clearinghouse.plan.tests.conftest import PLAN_FILE
from clearinghouse.plan.translations import TranslationFileError

FAO_NAMES = {
    "en": "Food and Agriculture Organization of the United Nations",
    "fr": "Organisation des Nations Unies pour l'alimentation et l'agriculture",
    "es": "Organización de las Naciones Unidas para la Alimentación y la Agricultura",
    "ru": "Продовольственная и сельскохозяйственная организация Объединенных Наций",
    "zh": "联合国粮食及农业组织",
}


def test_the_import_gives_the_organisations_their_official_names(plan: ImportReport) -> None:
    fao = Organisation.objects.get(acronym="FAO")
    # The Arabic of the annex stays the original; Chinese is stored under the content code "zh".
    assert (fao.name, fao.name_language) == ("منظمة الأغذية والزراعة للأمم المتحدة", "ar")
    assert fao.name_translations == FAO_NAMES
    assert fao.display_name("ru") == FAO_NAMES["ru"]
    assert fao.display_name("zh-hans") == FAO_NAMES["zh"]
    assert "FAO" in plan.organisation_names_translated


def test_every_organisation_the_import_creates_has_a_name_in_the_six_languages(plan: ImportReport) -> None:
    assert len(plan.organisations_created) == 91
    for organisation in Organisation.objects.filter(acronym__in=plan.organisations_created):
        names = {organisation.name_language: organisation.name, **organisation.name_translations}
        missing = [code for code in CONTENT_LANGUAGES if not names.get(code, "").strip()]
        assert missing == [], f"{organisation.acronym} has no name in {missing}"


def test_a_second_import_changes_no_name_and_keeps_a_corrected_one(plan: ImportReport) -> None:
    undp = Organisation.objects.get(acronym="UNDP")
    undp.name_translations = {**undp.name_translations, "fr": "PNUD"}
    undp.save()
    before = dict(Organisation.objects.values_list("acronym", "name_translations"))
    again = import_plan(PLAN_FILE)
    assert again.organisation_names_translated == []
    assert dict(Organisation.objects.values_list("acronym", "name_translations")) == before
    assert Organisation.objects.get(acronym="UNDP").display_name("fr") == "PNUD"


def test_an_organisation_registered_in_english_gets_the_other_names_and_keeps_its_own(
    world: World, targets: None
) -> None:
    gef = Organisation.objects.create(
        name="Global Environment Facility",
        name_language="en",
        acronym="GEF",
        type=OrganisationType.INTERGOVERNMENTAL,
        name_translations={"fr": "Fonds pour l'environnement mondial (FEM)"},
    )
    import_plan(PLAN_FILE)
    gef.refresh_from_db()
    assert gef.name == "Global Environment Facility"
    assert gef.name_translations == {
        "ar": "مرفق البيئة العالمية",
        "fr": "Fonds pour l'environnement mondial (FEM)",
        "es": "Fondo para el Medio Ambiente Mundial",
        "ru": "Глобальный экологический фонд",
        "zh": "全球环境基金",
    }


def names_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: dict[str, dict[str, str]]) -> Path:
    names = json.loads(importer.ORGANISATION_NAMES_FILE.read_text(encoding="utf-8")) | change
    path = tmp_path / "organisations.json"
    path.write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(importer, "ORGANISATION_NAMES_FILE", path)
    return path


def test_a_name_for_an_acronym_not_on_the_list_stops_the_import_with_its_acronym(
    world: World, targets: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unknown = dict.fromkeys(importer.TRANSLATION_LANGUAGES, "Something")
    path = names_file(tmp_path, monkeypatch, {"XYZ": unknown, "SBSTTA": unknown})
    message = f"{path}: not an organisation of the list of abbreviations: SBSTTA, XYZ"
    with pytest.raises(CommandError, match=message):
        call_command("importplan", str(PLAN_FILE))
    # One transaction: nothing of the plan is left behind.
    assert not Organisation.objects.filter(acronym="FAO").exists()


def test_a_name_missing_in_a_language_stops_the_import(
    world: World, targets: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    incomplete = {"en": "FAO", "fr": "FAO", "es": "", "ru": "ФАО", "zh-hans": "粮农组织"}
    names_file(tmp_path, monkeypatch, {"FAO": incomplete})
    with pytest.raises(TranslationFileError, match="FAO needs a name in each of en, fr, es, ru, zh-hans"):
        import_plan(PLAN_FILE)


def test_french_pages_and_drop_downs_show_the_french_names(
    plan: ImportReport, client: Client, world: World
) -> None:
    idlo = Organisation.objects.get(acronym="IDLO")
    french = "Organisation internationale de droit du développement"
    plan_page = client.get("/fr/plan/").content.decode()
    assert f'<option value="{idlo.pk}">IDLO: {french}</option>' in plan_page
    page = client.get(f"/fr/organisations/{idlo.pk}/").content.decode()
    # The heading is marked as French; the Arabic original is shown beside it.
    assert f'<h1><span lang="fr">{french}</span> (IDLO)</h1>' in page
    assert '<dd lang="ar">المنظمة الدولية لقانون التنمية</dd>' in page
    registry = client.get("/fr/organisations/", {"type": "intergovernmental"}).content.decode()
    assert f'<span lang="fr">{french}</span></a> (IDLO)' in registry
    activity = client.get("/fr/plan/9/").content.decode()
    assert f'<span lang="fr">{french}</span></a> (IDLO)' in activity
    client.force_login(world.outsider)
    profile = client.get("/fr/people/profile/").content.decode()
    assert f'<option value="{idlo.pk}">{french}</option>' in profile
    # Sorted by the French names: the European Environment Agency (الوكالة الأوروبية للبيئة) comes
    # before the European Union (الاتحاد الأوروبي), the other way round in Arabic.
    agency = profile.index(">Agence européenne pour l&#x27;environnement<")
    assert agency < profile.index(">Union européenne<")
    chinese = client.get("/zh-hans/plan/").content.decode()
    assert f'<option value="{idlo.pk}">IDLO: 国际发展法组织</option>' in chinese
