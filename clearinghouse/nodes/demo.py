"""Demo register of national clearing-house mechanisms: six Parties' national CHMs with the
history of their status (Kenya's Bioland site functional since 2024, Egypt's planned, with a
request for support published as a need; China, Brazil, France and Russia), written in their
languages, through the same services people use. Idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from clearinghouse.accounts.demo import demo_person
from clearinghouse.geo.models import Country
from clearinghouse.matchmaking import services as matchmaking
from clearinghouse.matchmaking.models import ContributionKind, CooperationKind, Match
from clearinghouse.nodes import services
from clearinghouse.nodes.models import NationalCHM, Status, Technology
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import services as publishing_services
from clearinghouse.publishing import workflow
from clearinghouse.support import services as support_services
from clearinghouse.support.models import Offer
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


# Kenya, whose Bioland site works, offers peer support to Parties building theirs: the offer that
# matching proposes for Egypt's request.
KENYA_OFFER: dict[str, Any] = {
    "title": "Peer support to set up and run a national Bioland clearing-house site",
    "description": (
        "<p>Kenya's national CHM team coaches the team of another Party through installing its "
        "Bioland site, publishing its first national records and connecting them to the central "
        "index: four online sessions and a one-week visit to Nairobi.</p>"
    ),
    "support_types": ["training", "expertise"],
    "subjects": ["SUBJ-DATA-INFORMATION", "SUBJ-TECHNOLOGY-TRANSFER"],
    "gbf_targets": ["GBF-T20", "GBF-T21"],
    "target_groups": ["government"],
    "eligibility": ["Africa", "LDC"],
    "capacity": 3,
    "languages": ["en", "fr"],
    "value_kind": "in_kind",
    "how_to_request": "Ask through the help desk or write to the national CHM office.",
    "contact_email": "chm@demo.clearinghouse.example",
}
KENYA_OFFER_TITLES = {
    "fr": "Accompagnement entre pairs pour créer et faire vivre un site Bioland national",
    "ar": "دعم من الأقران لإنشاء موقع بيولاند وطني لآلية غرفة تبادل المعلومات وتشغيله",
}

EGYPT_REQUEST_TITLES = {
    "en": "Support to launch Egypt's national clearing-house mechanism site on Bioland",
    "fr": "Appui au lancement du site national du centre d'échange de l'Égypte sur Bioland",
}


def _kenya_offer() -> bool:
    """Register and publish Kenya's offer once; whether it was added now."""
    title = KENYA_OFFER["title"]
    if Offer.objects.filter(owner_country__code="KE", title__en=title).exists():
        return False
    officer = demo_person("officer.ke")
    cleaned = dict(KENYA_OFFER)
    for name, vocabulary in Offer.VOCABULARIES.items():
        if name in cleaned:
            cleaned[name] = list(Term.objects.filter(vocabulary__name=vocabulary, code__in=cleaned[name]))
    cleaned["plan_activities"] = list(Activity.objects.filter(number=services.CHM_ACTIVITY))
    offer = support_services.create(
        Offer, actor=officer, owner=Country.objects.get(code="KE"), language="en", cleaned=cleaned
    )
    for language, text in KENYA_OFFER_TITLES.items():
        publishing_services.translate(
            offer,
            actor=officer,
            language=language,
            texts={"title": text},
            base_revision=None,
            save=support_services.save_values,
        )
    support_services.submit(offer, actor=officer)
    workflow.publish(offer, actor=demo_person("focalpoint.ke"))
    return True


def _kenya_helps_egypt(egypt: NationalCHM) -> bool:
    """The help desk matches Egypt's request with Kenya's offer; Kenya accepts, Egypt confirms,
    and both agree a South–South cooperation that each co-funds. Once; whether it was done now."""
    need = egypt.support_requests.get().need
    offer = Offer.objects.get(owner_country__code="KE", title__en=KENYA_OFFER["title"])
    if Match.objects.filter(case__need=need, support_identifier=offer.identifier).exists():
        return False
    desk = demo_person("helpdesk")
    case = matchmaking.send_to_matchmaking(matchmaking.open_case(need, actor=desk), actor=desk)
    match = matchmaking.shortlist(case, offer, actor=desk)
    matchmaking.propose(
        match,
        actor=desk,
        message="Egypt is building its national CHM on Bioland: your team's peer support fits its request.",
    )
    kenya, egypt_fp = demo_person("focalpoint.ke"), demo_person("focalpoint.eg")
    matchmaking.accept(match, actor=kenya, note="Our CHM team can start with online sessions next month.")
    matchmaking.confirm(match, actor=egypt_fp)
    matchmaking.agree(
        match,
        actor=egypt_fp,
        details=matchmaking.CooperationInput(
            kind=CooperationKind.SOUTH_SOUTH,
            description=(
                "Kenya's national CHM team coaches Egypt's in installing Bioland, publishing its first "
                "national records and connecting them to the central index; Egypt's team visits Nairobi."
            ),
            language="en",
            start_date=date(2026, 10, 1),
            end_date=date(2027, 3, 31),
            contributions=[
                matchmaking.ContributionInput(
                    egypt.party, Decimal("6000"), "USD", ContributionKind.FINANCIAL, "Travel to Nairobi"
                ),
                matchmaking.ContributionInput(
                    Country.objects.get(code="KE"),
                    Decimal("4500"),
                    "USD",
                    ContributionKind.IN_KIND,
                    "Staff time of the national CHM team",
                ),
            ],
        ),
    )
    return True


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
        secretariat = demo_person("secretariat")
        workflow.publish(asked.need, actor=secretariat)
        for language, title in EGYPT_REQUEST_TITLES.items():
            workflow.publish_translation(
                asked.need, actor=secretariat, language=language, texts={"title": title}, note=""
            )
    offered = _kenya_offer()
    cooperating = _kenya_helps_egypt(egypt)
    functional = NationalCHM.objects.filter(status=Status.FUNCTIONAL).count()
    return [
        f"{'National CHMs (/countries/chm/)':32} {NationalCHM.objects.count()} ({added} new), "
        f"{functional} functional; Egypt's request for support published as a need; "
        f"Kenya's offer of peer support{' (new)' if offered else ''}, agreed with Egypt as a "
        f"co-funded South–South cooperation{' (new)' if cooperating else ''}"
    ]
