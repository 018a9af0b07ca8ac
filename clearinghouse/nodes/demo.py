"""Demo register of national clearing-house mechanisms: six Parties' national CHMs with the
history of their status (Kenya's Bioland site functional since 2024, Egypt's planned, with a
request for support published as a need; China, Brazil, France and Russia), written in their
languages, through the same services people use. Idempotent."""

from __future__ import annotations

from datetime import date
from typing import Any

from clearinghouse.accounts.demo import demo_person
from clearinghouse.geo.models import Country
from clearinghouse.nodes import services
from clearinghouse.nodes.models import NationalCHM, Status, Technology
from clearinghouse.publishing import workflow
from clearinghouse.vocabularies.models import Term

# (Party, entry, [(status, since)...] oldest first)
CHMS: list[tuple[str, dict[str, Any], list[tuple[Status, date]]]] = [
    (
        "KE",
        {
            "website": "https://ke.chm-cbd.net",
            "technology": Technology.BIOLAND,
            "languages": ["en", "sw"],
            "contact_office": "National Biodiversity Information Office, Ministry of Environment, Climate Change and Forestry",
            "contact_email": "chm@demo.clearinghouse.example",
            "last_checked": date(2026, 10, 5),
        },
        [(Status.PLANNED, date(2023, 3, 1)), (Status.FUNCTIONAL, date(2024, 6, 15))],
    ),
    (
        "EG",
        {
            "technology": Technology.BIOLAND,
            "languages": ["ar", "en"],
            "contact_office": "وحدة المعلومات الوطنية للتنوع البيولوجي، جهاز شؤون البيئة",
            "contact_email": "chm.eg@demo.clearinghouse.example",
        },
        [(Status.PLANNED, date(2025, 2, 10))],
    ),
    (
        "CN",
        {
            "website": "https://cn.chm-cbd.example",
            "technology": Technology.OTHER,
            "technology_detail": "国家生物多样性信息平台（自建）",
            "languages": ["zh", "en"],
            "contact_office": "生态环境部对外合作与交流中心 生物多样性信息处",
            "contact_email": "chm.cn@demo.clearinghouse.example",
            "last_checked": date(2026, 9, 12),
        },
        [(Status.PLANNED, date(2022, 4, 1)), (Status.FUNCTIONAL, date(2023, 11, 20))],
    ),
    (
        "BR",
        {
            "website": "https://chm.br.example",
            "technology": Technology.DRUPAL,
            "technology_detail": "Drupal 10",
            "languages": ["pt", "en", "es"],
            "contact_office": "Departamento de Conservação e Uso Sustentável da Biodiversidade",
            "contact_email": "chm.br@demo.clearinghouse.example",
            "last_checked": date(2026, 8, 30),
        },
        [(Status.FUNCTIONAL, date(2021, 5, 3))],
    ),
    (
        "FR",
        {
            "website": "https://chm.fr.example",
            "technology": Technology.DRUPAL,
            "languages": ["fr", "en"],
            "contact_office": "Bureau de la biodiversité, ministère de la Transition écologique",
            "contact_email": "chm.fr@demo.clearinghouse.example",
            "last_checked": date(2026, 11, 2),
        },
        [(Status.FUNCTIONAL, date(2019, 1, 15))],
    ),
    (
        "RU",
        {
            "website": "https://chm.ru.example",
            "technology": Technology.WORDPRESS,
            "languages": ["ru"],
            "contact_office": "Информационный центр по биоразнообразию",
            "contact_email": "chm.ru@demo.clearinghouse.example",
            "last_checked": date(2025, 12, 1),
        },
        [(Status.FUNCTIONAL, date(2020, 9, 1)), (Status.INACTIVE, date(2025, 4, 1))],
    ),
]

EGYPT_REQUEST = {
    "language": "ar",
    "title": "دعم لإطلاق الموقع الوطني لآلية غرفة تبادل المعلومات على منصة بيولاند",
    "description": (
        "تخطط مصر لإطلاق موقعها الوطني لآلية غرفة تبادل المعلومات باللغتين العربية والإنجليزية. "
        "يحتاج فريق وحدة المعلومات إلى تدريب على تثبيت منصة بيولاند وإدارتها، وعلى ربط سجلات "
        "المحميات والأنواع المهددة بالفهرس المركزي، وإلى خبير يرافق الفريق خلال الأشهر الستة الأولى."
    ),
}


def load() -> list[str]:
    added = 0
    for code, values, statuses in CHMS:
        party = Country.objects.get(code=code)
        if NationalCHM.objects.filter(party=party).exists():
            continue
        (first, since), *later = statuses
        chm = services.register(party, actor=None, status=first, since=since, values=values)
        for status, when in later:
            services.change_status(chm, actor=None, status=status, since=when)
        added += 1
    egypt = NationalCHM.objects.get(party__code="EG")
    if not egypt.support_requests.exists():
        asked = services.request_support(
            egypt,
            actor=demo_person("focalpoint.eg"),
            support_types=list(
                Term.objects.filter(
                    vocabulary__name=services.SUPPORT_TYPES, code__in=["training", "expertise"]
                )
            ),
            **EGYPT_REQUEST,
        )
        workflow.publish(asked.need, actor=demo_person("secretariat"))
    functional = NationalCHM.objects.filter(status=Status.FUNCTIONAL).count()
    return [
        f"{'National CHMs (/countries/chm/)':32} {NationalCHM.objects.count()} ({added} new), "
        f"{functional} functional; Egypt's request for support published as a need"
    ]
