"""Demo resources written in languages other than the six (action plan activity 69: materials in
local and indigenous languages): AIDESEP's guide to community seed houses in Quechua, with a
Quechua language version and its texts translated into Spanish and English, and Kenya's guide to
community seed banks in Kiswahili, translated into English and French. Registered, translated
and published through the same services people use; idempotent (a resource is found again by
its owner and title)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from clearinghouse.accounts.demo import demo_owner, demo_person
from clearinghouse.geo.models import Country
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import services as publishing_services
from clearinghouse.publishing import workflow
from clearinghouse.support import services
from clearinghouse.support.models import Resource
from clearinghouse.vocabularies.models import Term


@dataclass(frozen=True)
class WrittenIn:
    """A demo resource written in ``language``, with its texts' translations and its versions."""

    owner: str
    author: str
    publisher: str
    language: str
    texts: dict[str, str]
    translations: dict[str, dict[str, str]]
    values: dict[str, Any]
    subjects: tuple[str, ...]
    versions: dict[str, str] = field(default_factory=dict)


RESOURCES = (
    WrittenIn(
        owner="AIDESEP",
        author="iplc.pe",
        publisher="secretariat",
        language="qu",
        texts={
            "title": "Muhukunata waqaychanapaq yachay: ayllukunapa muhu wasinkuna",
            "description": "<p>Kay p'anqaqa willakunmi imaynatam ayllukuna muhu wasita hatarichinku, "
            "papa, sara, kinwa, tarwi muhukunata waqaychanankupaq. Yachachinmi muhukunata akllayta, "
            "chakichiyta, sutinkunata qillqayta, hinaspa sapa wata chakrakunapi tarpuyta.</p>"
            "<p>Machulakunapa yachayninwan kunan pacha yachaykunawan kuska llamk'anapaq, "
            "warmikuna qharikunapas.</p>",
        },
        translations={
            "es": {
                "title": "Saberes para guardar las semillas: las casas de semillas de las comunidades",
                "description": "<p>Esta guía cuenta cómo las comunidades levantan una casa de semillas "
                "para guardar las semillas de papa, maíz, quinua y tarwi. Enseña a escoger las semillas, "
                "secarlas, registrar sus nombres por escrito y volver a sembrarlas en las chacras cada "
                "año.</p><p>Para trabajar juntos, mujeres y hombres, con los saberes de los abuelos y "
                "los conocimientos de hoy.</p>",
            },
            "en": {
                "title": "Knowledge for keeping seeds: community seed houses",
                "description": "<p>How communities set up a seed house to keep potato, maize, quinoa and "
                "tarwi seed: choosing the seed, drying it, writing down its names and sowing it again in "
                "the fields every year, women and men together, with the grandparents' knowledge and "
                "today's.</p>",
            },
        },
        values={
            "kind": "guide",
            "authors": "Rosa Quispe; promotoras de semillas de AIDESEP",
            "publisher": "AIDESEP",
            "year": 2026,
            "licence": "CC BY-NC 4.0",
        },
        subjects=("SUBJ-AGRICULTURAL-BIODIVERSITY", "SUBJ-TRADITIONAL-KNOWLEDGE", "SUBJ-IPLC"),
        versions={"qu": "https://www.aidesep.org.pe/"},
    ),
    WrittenIn(
        owner="KE",
        author="officer.ke",
        publisher="focalpoint.ke",
        language="sw",
        texts={
            "title": "Mwongozo wa jamii wa kutunza mbegu za asili",
            "description": "<p>Mwongozo huu unaeleza jinsi vikundi vya wakulima vinavyoanzisha benki za "
            "mbegu za jamii: kuchagua mbegu bora, kuzikausha, kuzihifadhi bila kemikali na kuandika "
            "majina yake ya asili. Unatoa pia ushauri wa kugawana mbegu kati ya vijiji na kulinda "
            "maarifa ya jadi.</p>",
        },
        translations={
            "en": {
                "title": "Community guide to keeping native seeds",
                "description": "<p>This guide explains how farmer groups set up community seed banks: "
                "choosing good seed, drying it, storing it without chemicals and recording its local "
                "names. It also advises on sharing seed between villages and protecting traditional "
                "knowledge.</p>",
            },
            "fr": {
                "title": "Guide communautaire pour conserver les semences locales",
                "description": "<p>Ce guide explique comment les groupements d'agriculteurs créent des "
                "banques de semences communautaires : choisir de bonnes semences, les sécher, les "
                "conserver sans produits chimiques et noter leurs noms locaux, puis les partager entre "
                "villages en protégeant les savoirs traditionnels.</p>",
            },
        },
        values={
            "kind": "guide",
            "authors": "Otieno Odhiambo",
            "publisher": "Kenya Wildlife Service",
            "year": 2026,
            "licence": "CC BY 4.0",
        },
        subjects=("SUBJ-AGRICULTURAL-BIODIVERSITY", "SUBJ-TRADITIONAL-KNOWLEDGE"),
    ),
)


def _exists(demo: WrittenIn) -> bool:
    owner = demo_owner(demo.owner)
    condition = Q(owner_country=owner) if isinstance(owner, Country) else Q(owner_organisation=owner)
    titles = Resource.objects.filter(condition, original_language=demo.language).values_list(
        "title", flat=True
    )
    return any((title or {}).get(demo.language) == demo.texts["title"] for title in titles)


def _register(demo: WrittenIn) -> None:
    actor = demo_person(demo.author)
    values = demo.values | {
        **demo.texts,
        "subjects": list(Term.objects.filter(code__in=demo.subjects)),
        # Culturally appropriate materials in local and indigenous languages.
        "plan_activities": list(Activity.objects.filter(number=69)),
    }
    record = services.create(
        Resource, actor=actor, owner=demo_owner(demo.owner), language=demo.language, cleaned=values
    )
    for language, texts in demo.translations.items():
        publishing_services.translate(
            record, actor=actor, language=language, texts=texts, base_revision=None, save=services.save_values
        )
    for language, link in demo.versions.items():
        services.add_version(record, actor=actor, language=language, link=link)
    services.submit(record, actor=actor)
    workflow.publish(record, actor=demo_person(demo.publisher))


def load() -> list[str]:
    """Register the resources not there yet; nothing to print."""
    for demo in RESOURCES:
        if not _exists(demo):
            _register(demo)
    return []
