"""A query finds by meaning the record written in another language that answers it, ahead of
records in the query's own language on other subjects. The platform's real model embeds the
records and the queries here."""

from __future__ import annotations

from typing import Any

import pytest

from clearinghouse.core.testing import World
from clearinghouse.matching.semantic import MeaningRetriever
from clearinghouse.support.models import Initiative, Offer, Resource
from clearinghouse.support.tests.samples import sample

from .records import publish_support
from .test_records_lifecycle import offer_values

pytestmark = pytest.mark.usefixtures("vocabularies", "real_model")


def resource(title: str, description: str) -> dict[str, Any]:
    return {"title": title, "description": description, "kind": "guide", "subjects": []}


def test_a_spanish_query_finds_the_english_record_and_an_arabic_one_the_french(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    english = publish_support(
        capture,
        Offer,
        world,
        offer_values(
            title="Early detection of invasive alien species on islands",
            description="<p>Training for island biosecurity officers on detecting and eradicating "
            "invasive alien plants and rats before they spread.</p>",
        ),
    )
    french = publish_support(
        capture,
        Initiative,
        world,
        sample(Initiative, world)
        | {
            "title": "Restauration des forêts de mangroves au Sénégal",
            "description": "Replantation de palétuviers et suivi de la régénération des mangroves "
            "dégradées du delta du Saloum avec les communautés côtières.",
        },
        language="fr",
    )
    # Records in the queries' own languages, on other subjects: sharing the language must not
    # be enough to come first.
    publish_support(
        capture,
        Resource,
        world,
        resource(
            "Guía de contabilidad para cooperativas agrícolas",
            "Cómo llevar los libros de cuentas de una cooperativa de productores de café.",
        ),
        language="es",
    )
    publish_support(
        capture,
        Resource,
        world,
        resource(
            "دليل تدريب الصحفيين على تغطية أخبار البيئة",
            "ورش عمل للصحفيين حول كتابة التقارير الإعلامية.",
        ),
        language="ar",
    )
    publish_support(
        capture,
        Resource,
        world,
        resource("Wetland bird counts", "Counting migratory waterbirds in inland wetlands."),
    )
    retriever = MeaningRetriever()

    spanish = retriever.nearest("especies exóticas invasoras en islas", "es", 10)
    assert spanish[0].key == english.identifier

    arabic = retriever.nearest("استعادة غابات المانغروف", "ar", 10)
    assert arabic[0].key == french.identifier
