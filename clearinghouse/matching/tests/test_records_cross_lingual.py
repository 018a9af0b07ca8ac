"""An Arabic need published through the workflow is answered by the Spanish offer published
through the workflow that serves it, with an explanation a coordinator can check; and the offer
finds the need back. The platform's real model embeds the records here."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from clearinghouse.core.testing import World
from clearinghouse.matching.bands import THRESHOLDS
from clearinghouse.matching.suggestions import needs_for, support_for
from clearinghouse.support.models import Offer, Resource

from .records import egypt, publish_need, publish_support
from .test_records_lifecycle import offer_values

pytestmark = pytest.mark.usefixtures("vocabularies", "real_model")


def test_an_arabic_need_gets_the_spanish_offer_that_serves_it(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    need = publish_need(
        capture,
        owner=egypt(),
        language="ar",
        title="تدريب على استعادة غابات المانغروف",
        description="نحتاج إلى تدريب المجتمعات الساحلية على إعادة زراعة أشجار المانغروف المتدهورة ورصدها.",
        subjects=("SUBJ-MARINE-COASTAL", "SUBJ-RESTORATION"),
        targets=("GBF-T2",),
        languages=("ar", "es"),
    )
    spanish = publish_support(
        capture,
        Offer,
        world,
        offer_values(
            title="Restauración ecológica de manglares",
            description="<p>Curso de campo sobre restauración de manglares, selección de sitios y "
            "monitoreo.</p>",
            subjects=["SUBJ-RESTORATION"],
            gbf_targets=["GBF-T2"],
            eligibility=["Arab States", "LDC"],
            languages=["es", "ar"],
        ),
        language="es",
    )
    # Same script as the need, another subject: must not win for sharing the language.
    publish_support(
        capture,
        Offer,
        world,
        offer_values(
            title="تدريب الصحفيين على قضايا التنوع البيولوجي",
            description="ورش عمل للصحفيين حول تغطية أخبار البيئة.",
            subjects=["SUBJ-CEPA"],
            gbf_targets=["GBF-T21"],
            eligibility=[],
            languages=["ar"],
        ),
        language="ar",
    )
    publish_support(
        capture,
        Resource,
        world,
        {
            "title": "Guide d'identification des abeilles",
            "description": "Identification des abeilles sauvages et préparation des spécimens.",
            "kind": "guide",
            "subjects": [],
        },
        language="fr",
    )
    suggestions = support_for(need)
    assert suggestions[0].record == spanish
    explanation = suggestions[0].explanation
    assert [item.code for item in explanation.shared_targets] == ["GBF-T2"]
    assert explanation.eligibility_reason.rule == "country group"
    assert explanation.eligibility_reason.label == "Arab States"
    assert explanation.common_languages == ("ar", "es")

    # The coordinator reads it in their own language, whatever the records' languages.
    # Read as a good suggestion: the bands are calibrated on a registry of the development set's
    # size, not on three records, and a weak one is never quoted as close in meaning.
    good = replace(suggestions[0], score=THRESHOLDS.good)
    with translation.override("fr"):
        html = render_to_string("matching/includes/explanation.html", {"suggested": good})
    assert "Restauration" in html or "restauration" in html  # the target's label in French
    assert "Égypte" in html  # the country named in French
    assert "arabe" in html and "espagnol" in html  # languages in common, named in French
    # Each quoted passage carries its own language: Arabic from the need, Spanish from the offer.
    assert '<q lang="ar" dir="rtl">' in html and '<q lang="es" dir="ltr">' in html
    assert "<mark>" in html  # the passages close in meaning, marked

    reverse = needs_for(spanish)
    assert [s.record for s in reverse] == [need]
    # Explanations read the same way in both directions.
    assert reverse[0].explanation == explanation
