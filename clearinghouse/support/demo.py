"""Demo records of every support record type in the six languages, registered and published by
the demo people through the same workflow people use. Idempotent: a record type already present
for an owner is left alone."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import CommandError
from django.db.models import Q
from django.utils import timezone

from clearinghouse.accounts.demo import DEMO_DOMAIN, demo_owner, demo_person
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import services as publishing_services
from clearinghouse.publishing import workflow
from clearinghouse.support import services
from clearinghouse.support.demo_records import MODELS, TYPE_ACTIVITIES
from clearinghouse.support.models import (
    Expert,
    Initiative,
    Offer,
    Opportunity,
    Partnership,
    Provider,
    Resource,
    SupportRecord,
)
from clearinghouse.vocabularies.models import Term


def _organisation(acronym: str) -> Organisation:
    found = demo_owner(acronym)
    if not isinstance(found, Organisation):
        raise CommandError(f"{acronym} is not an organisation.")
    return found


def _terms(*codes: str) -> list[Term]:
    return list(Term.objects.filter(code__in=codes))


def _exists(model: type[SupportRecord], owner: Country | Organisation) -> bool:
    condition = Q(owner_country=owner) if isinstance(owner, Country) else Q(owner_organisation=owner)
    return model.objects.filter(condition).exists()


def _register(
    model: type[SupportRecord],
    *,
    owner_code: str,
    author: str,
    publisher: str | None,
    language: str,
    values: dict[str, Any],
    translations: dict[str, dict[str, str]] | None = None,
    submitter: str | None = None,
    expert_user: str | None = None,
    links: dict[str, str] | None = None,
) -> SupportRecord | None:
    owner = demo_owner(owner_code)
    if _exists(model, owner):
        return None
    actor = demo_person(author)
    kind = next(kind for kind, registered in MODELS.items() if registered is model)
    if TYPE_ACTIVITIES.get(kind):
        values = values | {"plan_activities": list(Activity.objects.filter(number__in=TYPE_ACTIVITIES[kind]))}
    record = services.create(
        model,
        actor=actor,
        owner=owner,
        language=language,
        cleaned=values,
        expert_user=demo_person(expert_user) if expert_user else None,
    )
    for other, texts in (translations or {}).items():
        publishing_services.translate(
            record, actor=actor, language=other, texts=texts, base_revision=None, save=services.save_values
        )
    if isinstance(record, Resource):
        # A resource's language versions are reviewed with it.
        for other, link in (links or {}).items():
            services.add_version(record, actor=actor, language=other, link=link)
    services.submit(record, actor=demo_person(submitter) if submitter else actor)
    # None is the platform: records of international organisations without a second reviewer.
    workflow.publish(record, actor=demo_person(publisher) if publisher else None)
    return record


def _future(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def load() -> list[str]:
    created = []
    created.append(
        _register(
            Offer,
            owner_code="IFDD",
            author="partner.ifdd",
            publisher="secretariat",
            language="fr",
            values={
                "title": "Formation en ligne à l'élaboration des stratégies et plans d'action nationaux pour la biodiversité",
                "description": "<p>Un parcours de six semaines, avec tutorat, pour les équipes nationales chargées "
                "d'actualiser leur <strong>SPANB</strong> selon le Cadre mondial de la biodiversité.</p>",
                "provider": _organisation("IFDD"),
                "support_types": _terms("training", "expertise"),
                "subjects": _terms("SUBJ-MAINSTREAMING"),
                "gbf_targets": _terms("GBF-T14", "GBF-T20"),
                "target_groups": _terms("government"),
                "eligibility": ["Africa", "LDC", "SIDS"],
                "capacity": 40,
                "languages": ["fr"],
                "period_start": _future(0),
                "period_end": _future(240),
                "value_kind": "in_kind",
                "how_to_request": "Inscription par le point focal national, avant la fin du trimestre.",
                "contact_email": "formation@ifdd.example",
            },
            translations={
                "en": {
                    "title": "Online training on developing national biodiversity strategies and action plans"
                },
                "ar": {"title": "تدريب إلكتروني على إعداد الاستراتيجيات وخطط العمل الوطنية للتنوع البيولوجي"},
            },
        )
    )
    # A Spanish offer that answers the Egyptian need in Arabic (coral reef monitoring): the
    # demo of matching across languages.
    created.append(
        _register(
            Offer,
            owner_code="MX",
            author="secretariat",
            publisher=None,
            language="es",
            values={
                "title": "Curso práctico de monitoreo de arrecifes de coral para guardaparques marinos",
                "description": "<p>Dos semanas de capacitación en campo sobre protocolos de monitoreo del "
                "blanqueamiento de coral, registro de datos y seguimiento trimestral de los arrecifes, "
                "para equipos de áreas marinas protegidas.</p>",
                "support_types": _terms("training", "expertise"),
                "subjects": _terms("SUBJ-MARINE-COASTAL", "SUBJ-PROTECTED-AREAS"),
                "gbf_targets": _terms("GBF-T3", "GBF-T21"),
                "target_groups": _terms("government"),
                "eligibility": ["Arab States", "SIDS", "Latin America and Caribbean"],
                "capacity": 25,
                "languages": ["es", "en"],
                "period_start": _future(0),
                "period_end": _future(300),
                "value_kind": "in_kind",
                "how_to_request": "Solicitud del punto focal nacional a la Comisión Nacional de Áreas Naturales Protegidas.",
            },
            translations={
                "en": {"title": "Hands-on coral reef monitoring course for marine park rangers"},
                "ar": {"title": "دورة عملية في رصد الشعاب المرجانية لحراس المحميات البحرية"},
            },
        )
    )
    # A Russian offer on monitoring data platforms: what China's need (in Chinese) asks for,
    # once its first answer, a forest monitoring guide, was reopened.
    created.append(
        _register(
            Offer,
            owner_code="ЦОДП",
            author="secretariat",
            publisher=None,
            language="ru",
            values={
                "title": "Обучение управлению данными мониторинга биоразнообразия для региональных "
                "охраняемых территорий",
                "description": "<p>Трехмесячная программа для технических специалистов: создание единой "
                "базы данных мониторинга, ввод данных, <strong>контроль качества</strong> и обмен "
                "данными между охраняемыми территориями и региональными органами.</p>",
                "provider": _organisation("ЦОДП"),
                "support_types": _terms("data_tools", "training"),
                "subjects": _terms("SUBJ-DATA-INFORMATION", "SUBJ-PROTECTED-AREAS"),
                "gbf_targets": _terms("GBF-T21"),
                "target_groups": _terms("subnational"),
                "eligibility": ["Asia-Pacific", "Eastern Europe"],
                "capacity": 30,
                "languages": ["ru", "en"],
                "period_start": _future(0),
                "period_end": _future(200),
                "value_kind": "in_kind",
                "how_to_request": "Заявка национального координационного центра по электронной почте.",
                "contact_email": "data@biodiversity.example",
            },
            translations={
                "en": {
                    "title": "Training in biodiversity monitoring data management for regional protected areas"
                },
                "zh": {"title": "地区级保护地生物多样性监测数据管理培训"},
            },
        )
    )
    created.append(
        _register(
            Opportunity,
            owner_code="GEF",
            author="secretariat",
            publisher=None,
            language="en",
            values={
                "title": "Call for proposals: enabling activities for the Kunming-Montreal Global Biodiversity Framework",
                "kind": "call_for_proposals",
                "description": "<p>Grants to eligible countries to align national targets and monitoring systems "
                "with the Framework.</p>",
                "provider": _organisation("GEF"),
                "eligibility": ["developing", "LDC", "SIDS"],
                "target_groups": _terms("government"),
                "subjects": _terms("SUBJ-FINANCE"),
                "gbf_targets": _terms("GBF-T19", "GBF-T20"),
                "support_types": _terms("funding"),
                "deadline": _future(90),
                "value_amount": "200000",
                "currency": "USD",
                "how_to_apply": "Submit a project identification form through your GEF operational focal point.",
                "apply_url": "https://www.thegef.org/",
            },
            translations={
                "es": {
                    "title": "Convocatoria: actividades habilitantes para el Marco Mundial de Biodiversidad"
                },
                "fr": {
                    "title": "Appel à propositions : activités habilitantes pour le Cadre mondial de la biodiversité"
                },
            },
        )
    )
    resource = _register(
        Resource,
        owner_code="AIDESEP",
        author="iplc.pe",
        publisher="secretariat",
        language="es",
        values={
            "title": "Guía de monitoreo comunitario de los bosques amazónicos",
            "description": "<p>Cómo organizar equipos de vigilancia indígena, registrar alertas con GPS y "
            "presentar denuncias.</p>",
            "kind": "guide",
            "authors": "Rosa Quispe; equipo de monitoreo de AIDESEP",
            "publisher": "AIDESEP",
            "year": 2025,
            "licence": "CC BY-NC 4.0",
            "subjects": _terms("SUBJ-FORESTS", "SUBJ-TRADITIONAL-KNOWLEDGE"),
            "gbf_targets": _terms("GBF-T22"),
        },
        translations={
            "en": {"title": "Guide to community monitoring of Amazonian forests"},
            "fr": {"title": "Guide de surveillance communautaire des forêts amazoniennes"},
        },
        links={"es": "https://www.aidesep.org.pe/"},
    )
    if isinstance(resource, Resource):
        # An English edition added after publication waits for the reviewers: the page shows its
        # authors a version marked as such.
        services.add_version(
            resource, actor=demo_person("iplc.pe"), language="en", link="https://www.aidesep.org.pe/en/"
        )
    created.append(resource)
    created.append(
        _register(
            Initiative,
            owner_code="CN",
            author="focalpoint.cn",
            publisher="secretariat",
            language="zh",
            values={
                "title": "西南山地植物多样性保护能力建设项目",
                "description": "<p>中国科学院植物研究所与省级保护区合作，培训技术人员开展植物多样性调查与监测。</p>",
                "lead_organisation": _organisation("IBCAS"),
                "countries": list(Country.objects.filter(code="CN")),
                "gbf_targets": _terms("GBF-T4", "GBF-T21"),
                "subjects": _terms("SUBJ-DATA-INFORMATION"),
                "support_types": _terms("training", "data_tools"),
                "target_groups": _terms("subnational", "academia"),
                "start_date": date(2024, 3, 1),
                "end_date": date(2027, 12, 31),
                "funding_amount": "1200000",
                "currency": "CNY",
                "funding_source": "中国科学院",
                "status": "ongoing",
                "results": "<p>已培训一百二十名保护区技术人员。</p>",
                "lessons": "<p>野外实习比课堂讲授更有效。</p>",
                "course_links": ["https://www.ib.cas.cn/"],
            },
            translations={
                "en": {
                    "title": "Capacity-building for plant diversity conservation in the south-western mountains"
                },
                "ru": {
                    "title": "Укрепление потенциала для сохранения разнообразия растений юго-западных гор"
                },
            },
        )
    )
    created.append(
        _register(
            Expert,
            owner_code="ЦОДП",
            author="secretariat",
            publisher="secretariat",
            submitter="trainer",
            expert_user="trainer",
            language="ru",
            values={
                "title": "Специалист по особо охраняемым природным территориям",
                "name": "Дмитрий Соколов",
                "email": f"trainer{DEMO_DOMAIN}",
                "biography": "<p>Двадцать лет работы в заповедниках России и Центральной Азии.</p>",
                "consent_to_publish": True,
                "subjects": _terms("SUBJ-PROTECTED-AREAS"),
                "support_types": _terms("training", "expertise"),
                "gbf_targets": _terms("GBF-T3"),
                "languages": ["ru", "en"],
                "countries": list(Country.objects.filter(code__in=["RU", "KZ", "KG"])),
                "availability": "limited",
            },
            translations={
                "en": {"title": "Specialist in specially protected natural areas"},
                "zh": {"title": "特别保护自然区域专家"},
            },
        )
    )
    created.append(
        _register(
            Provider,
            owner_code="EEAA",
            author="secretariat",
            publisher="focalpoint.eg",
            language="ar",
            values={
                "title": "جهاز شئون البيئة: التدريب على إدارة المحميات الطبيعية",
                "organisation": _organisation("EEAA"),
                "description": "<p>برامج تدريبية لحراس المحميات والباحثين في الدول العربية والأفريقية.</p>",
                "subjects": _terms("SUBJ-PROTECTED-AREAS", "SUBJ-MARINE-COASTAL"),
                "support_types": _terms("training", "expertise"),
                "regions_served": ["Arab States", "Africa"],
                "languages": ["ar", "en"],
                "website": "https://www.eeaa.gov.eg",
                "contact_name": "إدارة التدريب",
                "contact_email": "training@eeaa.example",
                "contact_public": True,
            },
            translations={
                "en": {
                    "title": "Egyptian Environmental Affairs Agency: training in protected area management"
                },
                "fr": {
                    "title": "Agence égyptienne des affaires environnementales : formation à la gestion des aires protégées"
                },
            },
        )
    )
    created.append(
        _register(
            Partnership,
            owner_code="KE",
            author="officer.ke",
            publisher="focalpoint.ke",
            language="en",
            values={
                "title": "Kenya and Nature Kenya: citizen science for bird monitoring",
                "counterpart": "party",
                "institution": Organisation.objects.filter(name="Nature Kenya").first(),
                "kind": "agreement",
                "start_date": date(2025, 1, 1),
                "end_date": date(2028, 12, 31),
                "scope": "<p>Training county officers and volunteers to run waterbird counts.</p>",
                "materials": "<p>A field manual and a data-entry app.</p>",
                "subjects": _terms("SUBJ-DATA-INFORMATION"),
            },
            translations={
                "fr": {"title": "Le Kenya et Nature Kenya : science citoyenne pour le suivi des oiseaux"},
                "es": {"title": "Kenia y Nature Kenya: ciencia ciudadana para el seguimiento de las aves"},
            },
        )
    )
    count = sum(record is not None for record in created)
    return [f"{'Support (published demo records)':32} {count} new", _import()]


# Two guides IFDD lists in its French workbook: imported as drafts for the partner to review.
IFDD_RESOURCES = [
    {
        "original_language": "fr",
        "title.fr": "Guide pratique de l'actualisation des SPANB dans l'espace francophone",
        "description.fr": "Étapes, calendrier et exemples de pays pour aligner une stratégie nationale sur le Cadre mondial.",
        "kind": "guide",
        "publisher": "IFDD",
        "year": 2025,
        "subjects": "SUBJ-NBSAP-REPORTING",
        "gbf_targets": "GBF-T14",
        "links": "fr=https://www.ifdd.francophonie.org/publications/guide-spanb",
    },
    {
        "original_language": "fr",
        "title.fr": "Boîte à outils pour intégrer la biodiversité dans les budgets nationaux",
        "description.fr": "Fiches et modèles pour chiffrer les mesures des stratégies nationales et les inscrire au budget.",
        "kind": "toolkit",
        "publisher": "IFDD",
        "year": 2026,
        "subjects": "SUBJ-FINANCE;SUBJ-MAINSTREAMING",
        "gbf_targets": "GBF-T19",
    },
]


def _import() -> str:
    from clearinghouse.exchange.demo import demo_import
    from clearinghouse.publishing import exchange, registry

    record_type = registry.of(Resource)
    job = demo_import(
        demo_person("partner.ifdd"),
        _organisation("IFDD"),
        exchange.kind_name(record_type),
        "ifdd-ressources.xlsx",
        exchange.template(record_type, "fr", IFDD_RESOURCES),
        "fr",
    )
    return f"{'Support imports (/imports/)':32} {job.filename}: {job.state}"
