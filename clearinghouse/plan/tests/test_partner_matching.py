"""How the import reads the partners cells: which organisations an item names, and whether it
names anything else (then its wording is kept as text)."""

from __future__ import annotations

import pytest

from clearinghouse.organisations.models import Organisation, OrganisationType
from clearinghouse.plan.importer import PartnerMatcher, organisation_type
from clearinghouse.plan.parser import PartnerAbbreviation

LIST = [
    PartnerAbbreviation("UNEP", "برنامج الأمم المتحدة للبيئة (يونيب)", ""),
    PartnerAbbreviation(
        "UNEP-WCMC", "المركز العالمي لرصد حفظ الطبيعة التابع لبرنامج الأمم المتحدة للبيئة", ""
    ),
    PartnerAbbreviation("UNDP", "برنامج الأمم المتحدة الإنمائي (يونديبي)", ""),
    PartnerAbbreviation("BES-Net", "شبكة التنوع البيولوجي وخدمات النظم الإيكولوجية", ""),
    PartnerAbbreviation("BBI", "مبادرة الجسر البيولوجي", ""),
    PartnerAbbreviation("GYBN", "الشبكة العالمية للشباب المعني بالتنوع البيولوجي", ""),
    PartnerAbbreviation("FAS/SDSN", "مؤسسة أمازوناس المستدامة", ""),
    PartnerAbbreviation("SDSN", "شبكة حلول التنمية المستدامة التابعة للأمم المتحدة", ""),
    PartnerAbbreviation("WB", "مجموعة البنك الدولي", ""),
]


@pytest.fixture
def matcher(db: None) -> PartnerMatcher:
    organisations = {
        entry.acronym: Organisation.objects.create(
            name=entry.name, name_language="ar", acronym=entry.acronym, type=OrganisationType.NGO
        )
        for entry in LIST
    }
    return PartnerMatcher(organisations, LIST)


@pytest.mark.parametrize(
    ("item", "named", "complete"),
    [
        ("UNEP", ["UNEP"], True),
        # The longer acronym first: UNEP-WCMC is not UNEP.
        ("UNEP-WCMC", ["UNEP-WCMC"], True),
        ("UNDP/ BES-Net", ["UNDP", "BES-Net"], True),
        ("FAS/SDSN", ["FAS/SDSN"], True),
        ("BBI partners", ["BBI"], False),
        ("Global Youth Biodiversity Network (GYBN)", ["GYBN"], True),
        ("World Bank and the WAVES Global Partnership", ["WB"], False),
        # The list's Arabic name, without its bracketed short form.
        ("برنامج الأمم المتحدة الإنمائي", ["UNDP"], True),
        ("اليونيب", ["UNEP"], True),
        # Two names joined by و ("and").
        ("المختبرات المرجعية في كل منطقة وبرنامج الأمم المتحدة للبيئة", ["UNEP"], False),
        ("BirdLife", [], False),
        ("مثل المذكور أعلاه", [], False),
    ],
)
def test_a_partners_item_names_these_organisations(
    matcher: PartnerMatcher, item: str, named: list[str], complete: bool
) -> None:
    organisations, whole = matcher.match(item)
    assert sorted(organisation.acronym for organisation in organisations) == sorted(named)
    assert whole is complete


@pytest.mark.parametrize(
    ("acronym", "name", "kind"),
    [
        ("UNDP", "برنامج الأمم المتحدة الإنمائي (يونديبي)", OrganisationType.UN_BODY),
        (
            "IOC-UNESCO",
            "اللجنة الأوقيانوغرافية الحكومية الدولية التابعة لمنظمة اليونسكو",
            OrganisationType.UN_BODY,
        ),
        ("FAO", "منظمة الأغذية والزراعة للأمم المتحدة", OrganisationType.UN_BODY),
        ("WHO", "منظمة الصحة العالمية", OrganisationType.UN_BODY),
        (
            "CITES",
            "اتفاقية التجارة الدولية بأنواع الحيوانات والنباتات البرية المهددة بالانقراض",
            OrganisationType.INTERGOVERNMENTAL,
        ),
        ("EU-JRC", "مركز البحوث المشتركة للاتحاد الأوروبي", OrganisationType.INTERGOVERNMENTAL),
        ("OECD", "منظمة التعاون والتنمية في الميدان الاقتصادي", OrganisationType.INTERGOVERNMENTAL),
        ("WWF", "الصندوق العالمي للأحياء البرية", OrganisationType.NGO),
    ],
)
def test_the_type_of_an_organisation_follows_simple_rules(
    acronym: str, name: str, kind: OrganisationType
) -> None:
    assert organisation_type(acronym, name) == kind
