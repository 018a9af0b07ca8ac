"""Needs and offers written in a language the platform has no stemmer or analyzer for (Cusco
Quechua, Quechua): their profiles are built, they are embedded and matched like any other, the
words they share are read as evidence, and nothing is dropped."""

from __future__ import annotations

from typing import Any

import pytest

from clearinghouse.core.testing import World
from clearinghouse.matching.lexical import terms as lexical_terms
from clearinghouse.matching.models import StoredEmbedding
from clearinghouse.matching.sources import need_profile, offer_profile
from clearinghouse.matching.suggestions import support_for
from clearinghouse.support.models import Offer

from .records import publish_need, publish_support
from .test_records_lifecycle import offer_values

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_a_quechua_need_is_profiled_embedded_and_answered_by_a_quechua_offer(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    need = publish_need(
        capture,
        owner=world.kenya,
        language="quz",
        title="Muhu wasikunapaq yachachiy",
        description="Ayllukunaqa yachayta munanku kinwa, tarwi muhukunata waqaychayta.",
        subjects=("SUBJ-AGRICULTURAL-BIODIVERSITY",),
        languages=("quz", "es"),
    )
    offer = publish_support(
        capture,
        Offer,
        world,
        offer_values(
            title="Muhu wasi: kinwa, tarwi muhukunata waqaychay",
            description="<p>Muhu wasikunapi llamk'aq runakunapaq yachachiy.</p>",
            subjects=["SUBJ-AGRICULTURAL-BIODIVERSITY"],
            gbf_targets=[],
            eligibility=["Africa"],
            languages=["qu", "es"],
        ),
        language="qu",
    )

    profile = need_profile(need)
    assert (profile.language, profile.title) == ("quz", "Muhu wasikunapaq yachachiy")
    assert offer_profile(offer).language == "qu"
    # No stemmer: words are folded, not cut.
    assert {"muhukunata", "kinwa", "waqaychayta"} <= lexical_terms(profile.description, "quz")

    assert StoredEmbedding.objects.filter(identifier=need.identifier).exists()
    assert StoredEmbedding.objects.filter(identifier=offer.identifier).exists()
    suggestions = support_for(need)
    assert [suggestion.record for suggestion in suggestions] == [offer]
    passages = suggestions[0].explanation.passages
    shared = {term for passage in passages if passage.reason == "shared words" for term in passage.terms}
    assert shared & {"muhu", "kinwa", "tarwi"}
