"""Demo needs, a needs assessment and a request in the six languages, registered and
published through the same workflow people use. Idempotent."""

from __future__ import annotations

from typing import Any

from clearinghouse.accounts.demo import demo_owner, demo_person
from clearinghouse.accounts.models import User
from clearinghouse.needs import services
from clearinghouse.needs.demo_records import NEED_ACTIVITIES, REQUEST_ACTIVITIES, plan_activities
from clearinghouse.needs.formats import CURRENT_VERSION
from clearinghouse.needs.models import Need, NeedsAssessment, NeedStatus, Request, StatusReason
from clearinghouse.publishing import workflow
from clearinghouse.vocabularies.models import Term

# (key, author e-mail, publisher e-mail, owner (ISO code or organisation acronym), language, values)
NEEDS: list[tuple[str, str, str, str, str, dict[str, Any]]] = [
    (
        "demo-need-eg-1",
        "focalpoint.eg",
        "secretariat",
        "EG",
        "ar",
        {
            "title": "تدريب حراس المحميات البحرية على رصد الشعاب المرجانية",
            "description": "يحتاج حراس محميات البحر الأحمر إلى تدريب عملي على طرق رصد ابيضاض الشعاب المرجانية وتسجيل البيانات.",
            "gap": "لا توجد بيانات رصد منتظمة تسمح بتقييم حالة الشعاب.",
            "outcome": "فريق من ثلاثين حارساً يرصد الشعاب كل ثلاثة أشهر وفق بروتوكول موحد.",
            "priority": "high",
            "subjects": ["SUBJ-MARINE-COASTAL", "SUBJ-PROTECTED-AREAS"],
            "gbf_targets": ["GBF-T3", "GBF-T21"],
            "support_types": ["training", "expertise"],
            "target_groups": ["government"],
            "estimated_cost": "45000",
            "currency": "USD",
            "co_financing": "12000",
            "support_languages": ["ar", "en"],
        },
    ),
    (
        "demo-need-ke-1",
        "officer.ke",
        "focalpoint.ke",
        "KE",
        "en",
        {
            "title": "Customs officers able to identify invasive alien species at border posts",
            "description": "Border inspectors need identification guides and short training to intercept invasive plants and insects in imported goods.",
            "gap": "Interceptions are rare because inspectors cannot tell invasive species apart.",
            "outcome": "Inspectors at the five main border posts use a shared identification guide.",
            "priority": "high",
            "subjects": ["SUBJ-INVASIVE-ALIEN-SPECIES"],
            "gbf_targets": ["GBF-T6"],
            "support_types": ["training", "data_tools"],
            "target_groups": ["government"],
            "estimated_cost": "30000",
            "currency": "USD",
            "support_languages": ["en", "fr"],
        },
    ),
    (
        "demo-need-cn-1",
        "focalpoint.cn",
        "secretariat",
        "CN",
        "zh",
        {
            "title": "加强省级生物多样性监测数据管理能力",
            "description": "省级保护区需要建立统一的数据平台，培训技术人员进行数据录入、质量控制和共享。",
            "priority": "medium",
            "subjects": ["SUBJ-DATA-INFORMATION"],
            "gbf_targets": ["GBF-T21"],
            "support_types": ["data_tools", "institutional"],
            "target_groups": ["subnational"],
            "support_languages": ["zh", "en"],
        },
    ),
    (
        "demo-need-pe-1",
        "iplc.pe",
        "secretariat",
        "AIDESEP",
        "es",
        {
            "title": "Fortalecer la vigilancia comunitaria de los bosques amazónicos",
            "description": "Las comunidades indígenas necesitan formación en el uso de GPS y aplicaciones móviles para documentar la tala ilegal en sus territorios.",
            "outcome": "Monitores comunitarios en doce comunidades registran y reportan alertas.",
            "priority": "high",
            "subjects": ["SUBJ-FORESTS", "SUBJ-TRADITIONAL-KNOWLEDGE"],
            "gbf_targets": ["GBF-T22"],
            "support_types": ["training", "technology"],
            "target_groups": ["iplc", "youth"],
            "support_languages": ["es"],
        },
    ),
    (
        "demo-need-ke-2",
        "officer.ke",
        "focalpoint.ke",
        "KE",
        "fr",
        {
            "title": "Accès au financement pour la restauration des zones humides",
            "description": "Les comtés riverains du lac Victoria cherchent un appui pour préparer des propositions de financement pour restaurer les zones humides dégradées.",
            "priority": "medium",
            "subjects": ["SUBJ-RESTORATION", "SUBJ-INLAND-WATERS", "SUBJ-FINANCE"],
            "gbf_targets": ["GBF-T2", "GBF-T19"],
            "support_types": ["funding", "expertise"],
            "target_groups": ["subnational"],
            "support_languages": ["fr", "en"],
        },
    ),
    (
        "demo-need-ifdd-1",
        "partner.ifdd",
        "secretariat",
        "IFDD",
        "ru",
        {
            "title": "Обучение специалистов по оценке рисков живых измененных организмов",
            "description": "Необходимы краткосрочные курсы по оценке рисков в соответствии с Картахенским протоколом для сотрудников регулирующих органов.",
            "priority": "low",
            "subjects": ["SUBJ-BIOSAFETY"],
            "gbf_targets": ["GBF-T17"],
            "instruments": ["CPB"],
            "support_types": ["training"],
            "target_groups": ["government"],
            "support_languages": ["ru", "fr"],
        },
    ),
]


# The needs' titles in other languages (translations added with the original).
TITLE_TRANSLATIONS: dict[str, dict[str, str]] = {
    "demo-need-eg-1": {
        "en": "Training marine protected area rangers to monitor coral reefs",
        "fr": "Former les gardes des aires marines protégées au suivi des récifs coralliens",
    },
    "demo-need-ke-1": {
        "fr": "Des douaniers capables d'identifier les espèces exotiques envahissantes aux postes frontières",
        "ar": "موظفو جمارك قادرون على التعرف على الأنواع الغريبة الغازية في المنافذ الحدودية",
    },
    "demo-need-cn-1": {
        "en": "Strengthening provincial capacity to manage biodiversity monitoring data",
        "ru": "Укрепление потенциала провинций в управлении данными мониторинга биоразнообразия",
    },
    "demo-need-pe-1": {
        "en": "Strengthening community monitoring of Amazonian forests",
        "fr": "Renforcer la surveillance communautaire des forêts amazoniennes",
    },
    "demo-need-ke-2": {
        "en": "Access to finance for wetland restoration",
        "es": "Acceso a financiación para la restauración de humedales",
    },
    "demo-need-ifdd-1": {
        "en": "Training specialists in the risk assessment of living modified organisms",
        "fr": "Former des spécialistes à l'évaluation des risques des organismes vivants modifiés",
    },
}


def _terms(codes: list[str]) -> list[Term]:
    return list(Term.objects.filter(code__in=codes))


def _publish(record: Any, author: User, publisher: User) -> None:
    workflow.submit(record, actor=author)
    workflow.publish(record, actor=publisher)


def load() -> list[str]:
    created = 0
    needs: dict[str, Need] = {}
    for key, author_name, publisher_name, owner_code, language, values in NEEDS:
        existing = Need.objects.filter(import_key=key).first()
        if existing is not None:
            needs[key] = existing
            continue
        author, publisher = demo_person(author_name), demo_person(publisher_name)
        content: dict[str, Any] = {"original_language": language, "format_version": CURRENT_VERSION}
        for name, value in values.items():
            if name in {"title", "description", "gap", "outcome"}:
                content[name] = {language: value}
            elif name in {"subjects", "gbf_targets", "support_types", "target_groups", "instruments"}:
                content[name] = _terms(value)
            else:
                content[name] = value
        content["title"] |= TITLE_TRANSLATIONS.get(key, {})
        content.setdefault("instruments", _terms(["CBD"]))
        content["capacity_levels"] = _terms(["individual", "organisational"])
        content["contact_name"] = f"{author.first_name} {author.last_name}"
        content["contact_email"] = author.email
        content["plan_activities"] = plan_activities(NEED_ACTIVITIES)
        need = workflow.create(Need, actor=author, owner=demo_owner(owner_code), values=content)
        Need.objects.filter(pk=need.pk).update(import_key=key)
        _publish(need, author, publisher)
        needs[key] = need
        created += 1

    kenya_officer = demo_person("officer.ke")
    if not NeedsAssessment.objects.filter(owner_country__code="KE").exists():
        assessment = workflow.create(
            NeedsAssessment,
            actor=kenya_officer,
            owner=demo_owner("KE"),
            values={
                "original_language": "en",
                "format_version": CURRENT_VERSION,
                "title": {
                    "en": "Kenya national capacity needs assessment 2026",
                    "fr": "Évaluation nationale des besoins en capacités du Kenya 2026",
                },
                "scope": "national",
                "period_start": 2026,
                "period_end": 2030,
                "nbsap": {"en": "Kenya National Biodiversity Strategy and Action Plan 2025-2030"},
                "method": {
                    "en": "Online survey of 47 counties, three regional workshops and interviews with national agencies."
                },
                "participants_total": 212,
                "participants_women": 97,
                "participants_youth": 41,
                "participants_iplc": 23,
                "plan_activities": plan_activities(NEED_ACTIVITIES),
            },
        )
        _publish(assessment, kenya_officer, demo_person("focalpoint.ke"))
        Need.objects.filter(import_key__in=["demo-need-ke-1", "demo-need-ke-2"]).update(assessment=assessment)

    if not Request.objects.filter(owner_country__code="KE").exists():
        request = workflow.create(
            Request,
            actor=kenya_officer,
            owner=demo_owner("KE"),
            values={
                "original_language": "en",
                "format_version": CURRENT_VERSION,
                "needs": [needs["demo-need-ke-1"]],
                "title": {
                    "en": "Identification training for border inspectors",
                    "fr": "Formation des inspecteurs aux frontières à l'identification des espèces",
                    "zh": "边境检查人员物种识别培训",
                },
                "asked": {
                    "en": "A five-day training of trainers on invasive species identification, with a field guide adapted to East Africa."
                },
                "deliverables": {
                    "en": "Training of 25 trainers; an illustrated field guide; an online refresher module."
                },
                "duration_months": 6,
                "modalities": ["training", "on_site"],
                "contribution": {"en": "Venue, trainees' travel and two staff members part time."},
                "contribution_amount": "8000",
                "currency": "USD",
                "consent_to_share": True,
                "plan_activities": plan_activities(REQUEST_ACTIVITIES),
            },
        )
        _publish(request, kenya_officer, demo_person("focalpoint.ke"))
        services.change_status(
            needs["demo-need-ke-1"],
            actor=demo_person("helpdesk"),
            status=NeedStatus.IN_MATCHMAKING,
            reason=StatusReason.SENT_TO_MATCHMAKING,
        )
    total = Need.objects.filter(import_key__startswith="demo-need-").count()
    return [
        f"{'Needs (published demo records)':32} {total} ({created} new), 1 assessment, 1 request",
        *_imports(),
    ]


# Needs typed into the offline workbook: Kenya's two drafts, and an Egyptian file with one
# cell to fix (a cost written in words), refused whole with the problem in Arabic.
KENYA_WORKBOOK = [
    {
        "title": "County officers trained to map wetland ecosystem services",
        "description": "County environment officers cannot yet value wetlands in land-use plans.",
        "priority": "medium",
        "subjects": "SUBJ-INLAND-WATERS",
        "gbf_targets": "GBF-T1;GBF-T11",
        "instruments": "CBD",
        "capacity_levels": "individual",
        "support_types": "training",
        "start_year": 2027,
        "end_year": 2028,
        "support_languages": "en;fr",
        "contact_name": "Otieno Odhiambo",
        "contact_email": "officer.ke@demo.clearinghouse.example",
    },
    {
        "title": "A national reference collection for pollinator identification",
        "description": "Museums and universities hold specimens, but no shared reference set exists.",
        "priority": "low",
        "subjects": "SUBJ-TAXONOMY",
        "gbf_targets": "GBF-T10",
        "instruments": "CBD",
        "capacity_levels": "organisational",
        "support_types": "technology;expertise",
        "start_year": 2027,
        "end_year": 2029,
        "estimated_cost": 60000,
        "currency": "USD",
        "support_languages": "en",
        "contact_name": "Otieno Odhiambo",
        "contact_email": "officer.ke@demo.clearinghouse.example",
    },
]
EGYPT_WORKBOOK = [
    {
        "title": "تدريب الباحثين على رصد الطيور المهاجرة في خليج السويس",
        "description": "لا يملك الباحثون المحليون بروتوكولاً موحداً لعدّ الطيور المهاجرة.",
        "priority": "high",
        "subjects": "SUBJ-SPECIES-CONSERVATION",
        "gbf_targets": "GBF-T4",
        "instruments": "CBD",
        "capacity_levels": "individual",
        "support_types": "training",
        "start_year": 2027,
        "end_year": 2028,
        "estimated_cost": "عشرون ألفاً",
        "currency": "EGP",
        "support_languages": "ar;en",
        "contact_name": "ياسمين السيد",
        "contact_email": "focalpoint.eg@demo.clearinghouse.example",
    },
]


def _imports() -> list[str]:
    from clearinghouse.exchange.demo import demo_import
    from clearinghouse.needs.offline.filling import fill_workbook
    from clearinghouse.needs.offline.jobs import WORKBOOK
    from clearinghouse.needs.offline.template import build_workbook

    jobs = [
        demo_import(
            demo_person(person),
            demo_owner(owner),
            WORKBOOK,
            filename,
            fill_workbook(build_workbook(language), rows),
            language,
        )
        for person, owner, language, filename, rows in [
            ("officer.ke", "KE", "en", "kenya-needs-2027.xlsx", KENYA_WORKBOOK),
            ("focalpoint.eg", "EG", "ar", "احتياجات-مصر.xlsx", EGYPT_WORKBOOK),
        ]
    ]
    return [f"{'Needs imports (/imports/)':32} " + ", ".join(f"{job.filename}: {job.state}" for job in jobs)]
