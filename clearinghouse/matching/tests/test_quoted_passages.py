"""Explanations quote only the passage that carries the match: a clause, or the matched words
with a few around them and an ellipsis where the text goes on; never a whole long sentence, and
nothing at all when no passage carries the match."""

from __future__ import annotations

from collections.abc import Callable

from clearinghouse.matching.bands import THRESHOLDS
from clearinghouse.matching.embedders import CachedEmbedder
from clearinghouse.matching.engine import Matcher
from clearinghouse.matching.lexical import MAX_PASSAGE_CHARS, clauses
from clearinghouse.matching.templatetags.matching import explanation_view, passage_html

from .conftest import need, offer

LONG_SENTENCE = (
    "Our national programme, which was adopted in 2019 after a long consultation with the provinces "
    "and has been reviewed twice since then, now needs field training in coral reef survey methods "
    "for the rangers of three marine parks along the southern coast"
)


def test_a_sentence_is_cut_at_its_clauses_and_long_clauses_into_windows() -> None:
    text = "Training, in three parts: reef surveys; mangroves (with maps) — and seagrass."
    pieces = [text[a:b] for a, b in clauses(text, 0, len(text))]
    assert pieces == ["Training", "in three parts", "reef surveys", "mangroves", "with maps", "and seagrass."]
    long_text = " ".join(["word"] * 100)
    windows = clauses(long_text, 0, len(long_text))
    assert len(windows) > 1 and all(b - a <= MAX_PASSAGE_CHARS for a, b in windows)
    # Windows start and end at word edges.
    assert all(long_text[a:b].startswith("word") and long_text[a:b].endswith("word") for a, b in windows)


def test_the_shared_words_are_quoted_with_a_few_words_around_not_the_whole_sentence(
    build: Callable[..., Matcher],
) -> None:
    matcher = build([offer("O1", description=LONG_SENTENCE + ".")])
    requester = need(description="Rangers need coral reef survey methods, taught in the field.")
    explanation = matcher.explain(requester, matcher.profile("O1"))  # type: ignore[arg-type]
    quoted = next(p for p in explanation.passages if p.side == "offer" and p.field == "description")
    assert len(quoted.excerpt) < len(LONG_SENTENCE) / 2
    assert "coral reef survey" in quoted.excerpt
    assert "consultation" not in quoted.excerpt  # the clause before carries nothing
    html = str(passage_html(quoted))
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>coral</mark>" in html


def test_one_common_word_in_common_is_not_quoted(build: Callable[..., Matcher]) -> None:
    matcher = build([offer("O1", title="Grants", description="Small grants for training on wetlands.")])
    requester = need(title="Seed banks", description="Training of seed bank staff.", targets=())
    explanation = matcher.explain(requester, matcher.profile("O1"))  # type: ignore[arg-type]
    assert explanation.passages == ()


def test_an_acronym_in_common_is_quoted(build: Callable[..., Matcher]) -> None:
    matcher = build([offer("O1", title="Courses", description="Sessions on the METT for park staff.")])
    requester = need(language="es", title="Evaluación con el METT", description="Guardaparques.")
    explanation = matcher.explain(requester, matcher.profile("O1"))  # type: ignore[arg-type]
    assert {p.side: p.terms for p in explanation.passages} == {"need": ("METT",), "offer": ("METT",)}


def test_texts_far_apart_in_meaning_quote_no_passage_close_in_meaning(
    build: Callable[..., Matcher], model: CachedEmbedder
) -> None:
    forest = offer(
        "forest",
        title="Guía de campo de los bosques amazónicos",
        description="Identificación de árboles y lianas de la Amazonía peruana, con claves ilustradas.",
        targets=(),
    )
    reef = offer("reef")
    matcher = build([forest, reef], embedder=model)
    biosafety = need(
        title="Risk assessment of living modified organisms",
        description="Regulators need training to assess the risks of genetically modified maize imports.",
        targets=(),
    )
    far = matcher.explain(biosafety, forest, semantic_passages=True)
    assert [p for p in far.passages if p.reason == "similar meaning"] == []
    near = matcher.explain(need(), reef, semantic_passages=True)
    meaning = [p for p in near.passages if p.reason == "similar meaning"]
    assert {p.side for p in meaning} == {"need", "offer"}
    assert all(len(p.excerpt) <= MAX_PASSAGE_CHARS for p in meaning)


def test_a_weak_suggestion_is_not_quoted_as_close_in_meaning(
    build: Callable[..., Matcher], model: CachedEmbedder
) -> None:
    matcher = build([offer("reef")], embedder=model)
    explanation = matcher.explain(need(), offer("reef"), semantic_passages=True)
    assert any(p.reason == "similar meaning" for p in explanation.passages)
    shown = explanation_view(explanation, THRESHOLDS.good).passages
    weak = explanation_view(explanation, THRESHOLDS.fair - 1).passages
    assert len(weak) == len(shown) - 2  # both sides' clauses close in meaning left out
    assert len(explanation_view(explanation).passages) == len(shown)
