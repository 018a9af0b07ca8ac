"""Demo national targets and reports: Kenya (English and Kiswahili), Egypt (Arabic) and China
(Chinese), each with NBSAP targets aligned to GBF targets, its 7th national report (2026) and
its 6th (2019). Entered by each Party's demo focal point; loading twice adds nothing."""

from __future__ import annotations

from typing import Any

from clearinghouse.accounts.demo import demo_person
from clearinghouse.geo.models import Country
from clearinghouse.national import services
from clearinghouse.national.models import GBF_VOCABULARY, NationalReport, NationalTarget, ReportKind
from clearinghouse.vocabularies.models import Term

_NBSAP = {
    "KE": ("Kenya National Biodiversity Strategy and Action Plan 2025–2030", 2025),
    "EG": ("الاستراتيجية الوطنية وخطة العمل للتنوع البيولوجي في مصر 2030", 2024),
    "CN": ("中国生物多样性保护战略与行动计划（2023—2030年）", 2024),
}

# (Party, code, {language: title}, {language: description}, GBF targets, year adopted)
TARGETS: list[tuple[str, str, dict[str, str], dict[str, str], list[str], int]] = [
    (
        "KE",
        "T3",
        {
            "en": "Conserve at least 30% of Kenya's land and marine areas by 2030",
            "sw": "Kuhifadhi angalau asilimia 30 ya maeneo ya nchi kavu na bahari ya Kenya ifikapo 2030",
        },
        {
            "en": "Expand protected areas and community conservancies, and bring them under effective management."
        },
        ["GBF-T3"],
        2025,
    ),
    (
        "KE",
        "T6",
        {
            "en": "Halve the introduction and spread of invasive alien species",
            "sw": "Kupunguza kwa nusu kuingizwa na kuenea kwa spishi vamizi ngeni",
        },
        {
            "en": "Control invasive species at border posts and eradicate priority invasive plants in key sites."
        },
        ["GBF-T6"],
        2025,
    ),
    (
        "KE",
        "T19",
        {
            "en": "Mobilise finance for the restoration of wetlands and degraded ecosystems",
            "sw": "Kukusanya fedha za kurejesha ardhi oevu na mifumo ikolojia iliyoharibika",
        },
        {},
        ["GBF-T2", "GBF-T19"],
        2025,
    ),
    (
        "EG",
        "T3",
        {"ar": "حماية ما لا يقل عن ٣٠٪ من المناطق البرية والبحرية بحلول عام ٢٠٣٠"},
        {"ar": "توسيع شبكة المحميات الطبيعية في البحر الأحمر وسيناء وتحسين إدارتها."},
        ["GBF-T3"],
        2024,
    ),
    (
        "EG",
        "T21",
        {"ar": "إتاحة بيانات رصد التنوع البيولوجي والشعاب المرجانية لصانعي القرار"},
        {},
        ["GBF-T21"],
        2024,
    ),
    (
        "CN",
        "T3",
        {"zh": "到2030年有效保护至少30%的陆地和海洋区域"},
        {"zh": "完善以国家公园为主体的自然保护地体系。"},
        ["GBF-T3"],
        2024,
    ),
    (
        "CN",
        "T21",
        {"zh": "健全生物多样性监测网络和数据共享机制"},
        {"zh": "建立覆盖全国的生物多样性观测网络，实现数据互联共享。"},
        ["GBF-T21"],
        2024,
    ),
]

# (Party, kind, year, title, language, link, document reference)
REPORTS: list[tuple[str, ReportKind, int, str, str, str, str]] = [
    (
        "KE",
        ReportKind.SEVENTH,
        2026,
        "Kenya's seventh national report to the Convention on Biological Diversity",
        "en",
        "",
        "CHM-NR7-KE-2026",
    ),
    (
        "KE",
        ReportKind.SIXTH,
        2019,
        "Kenya's sixth national report to the Convention on Biological Diversity",
        "en",
        "https://www.cbd.int/countries/profile?country=ke",
        "",
    ),
    (
        "EG",
        ReportKind.SEVENTH,
        2026,
        "التقرير الوطني السابع لمصر إلى اتفاقية التنوع البيولوجي",
        "ar",
        "",
        "CHM-NR7-EG-2026",
    ),
    (
        "EG",
        ReportKind.SIXTH,
        2019,
        "التقرير الوطني السادس لمصر إلى اتفاقية التنوع البيولوجي",
        "ar",
        "https://www.cbd.int/countries/profile?country=eg",
        "",
    ),
    ("CN", ReportKind.SEVENTH, 2026, "中国履行《生物多样性公约》第七次国家报告", "zh", "", "CHM-NR7-CN-2026"),
    (
        "CN",
        ReportKind.SIXTH,
        2019,
        "中国履行《生物多样性公约》第六次国家报告",
        "zh",
        "https://www.cbd.int/countries/profile?country=cn",
        "",
    ),
]


def load() -> list[str]:
    gbf = {term.code: term for term in Term.objects.filter(vocabulary__name=GBF_VOCABULARY)}
    added = 0
    for party_code, code, titles, descriptions, gbf_codes, year in TARGETS:
        party = Country.objects.get(code=party_code)
        if NationalTarget.objects.filter(party=party, code=code).exists():
            continue
        focal_point = demo_person(f"focalpoint.{party_code.lower()}")
        name, nbsap_year = _NBSAP[party_code]
        target = None
        # One save per language: the first makes the target, the others add their texts.
        for language, title in titles.items():
            target = services.save_target(
                party,
                actor=focal_point,
                code=code,
                language=language,
                title=title,
                description=descriptions.get(language, ""),
                gbf_targets=[gbf[item] for item in gbf_codes],
                adopted_year=year,
                nbsap={"name": name, "year": nbsap_year, "url": ""},
                target=target,
            )
        added += 1
    for party_code, kind, year, title, language, url, document in REPORTS:
        party = Country.objects.get(code=party_code)
        if NationalReport.objects.filter(party=party, kind=kind).exists():
            continue
        values: dict[str, Any] = {
            "kind": kind,
            "year": year,
            "title": title,
            "language": language,
            "url": url,
            "document": document,
        }
        services.save_report(party, actor=demo_person(f"focalpoint.{party_code.lower()}"), values=values)
        added += 1
    if not added:
        return []
    return ["National targets and reports: /en/national/ (Kenya, Egypt, China)."]
