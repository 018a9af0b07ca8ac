"""The model matches across languages and scripts: an Arabic request finds a Spanish offer."""

from __future__ import annotations

from collections.abc import Callable

from clearinghouse.matching.embedders import CachedEmbedder
from clearinghouse.matching.engine import Matcher

from .conftest import need, offer

OFFERS = [
    offer(
        "mangroves-es",
        language="es",
        title="Restauración ecológica de manglares",
        description="Curso de campo sobre restauración de manglares, selección de sitios y monitoreo.",
        targets=(),
    ),
    offer(
        "taxonomy-fr",
        language="fr",
        title="Cours de taxonomie des insectes",
        description="Identification des abeilles et préparation des spécimens.",
        targets=(),
    ),
    offer(
        "finance-en",
        language="en",
        title="Biodiversity finance plans",
        description="Advice on expenditure reviews and resource mobilisation strategies.",
        targets=(),
    ),
    offer(
        "journalists-ar",
        language="ar",
        title="تدريب الصحفيين على قضايا التنوع البيولوجي",
        description="ورش عمل للصحفيين حول تغطية أخبار البيئة.",
        targets=(),
    ),
]
REQUEST = need(
    language="ar",
    country="EG",
    # Vowel marks as a careful writer may put them: the text is normalised before the model reads it.
    title="تَدْرِيب على استعادة غابات المانغروف",
    description="نحتاج إلى تدريب المجتمعات الساحلية على إعادة زراعة أشجار المانغروف المتدهورة ورصدها.",
    targets=(),
)


def test_an_arabic_need_finds_the_spanish_offer_that_answers_it(
    build: Callable[..., Matcher], model: CachedEmbedder
) -> None:
    matcher = build(OFFERS, embedder=model)
    suggestions = matcher.match(REQUEST, semantic_passages=True)
    # No shared words and no shared tags: only meaning links the two texts, and the Arabic offer
    # on another subject must not win for sharing the script.
    assert suggestions[0].offer_id == "mangroves-es"
    explanation = suggestions[0].explanation
    assert explanation is not None
    assert {passage.side for passage in explanation.passages if passage.reason == "similar meaning"} == {
        "need",
        "offer",
    }


def test_the_other_model_plugs_in_and_matches_across_languages_too(
    build: Callable[..., Matcher], e5_model: CachedEmbedder
) -> None:
    matcher = build(OFFERS, embedder=e5_model)
    assert matcher.match(REQUEST)[0].offer_id == "mangroves-es"
