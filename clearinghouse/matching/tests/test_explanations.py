"""Every suggestion says why, in terms a person can check."""

from __future__ import annotations

from collections.abc import Callable

from clearinghouse.matching.engine import Matcher

from .conftest import need, offer


def test_the_explanation_lists_shared_targets_with_labels_in_both_languages(
    build: Callable[..., Matcher],
) -> None:
    matcher = build([offer("O1", language="fr", targets=("GBF-T3", "GBF-T8"))])
    requester = need(language="ar", targets=("GBF-T8", "GBF-T21"))
    explanation = matcher.match(requester)[0].explanation
    assert explanation is not None
    (shared,) = explanation.shared_targets
    assert shared.code == "GBF-T8"
    # The requester reads the label in Arabic; the offer's French label is there to compare.
    assert "المناخ" in shared.label
    assert "climatiques" in shared.offer_label


def test_the_explanation_tells_how_the_types_of_support_fit(build: Callable[..., Matcher]) -> None:
    matcher = build(
        [
            offer("same", support_types=("training", "expertise")),
            offer("other", support_types=("funding",)),
            offer("none", support_types=()),
        ]
    )
    fits = {s.offer_id: s.explanation.support_type_fit for s in matcher.match(need()) if s.explanation}
    assert fits["same"].status == "match"
    assert [code.code for code in fits["same"].shared] == ["training"]
    assert fits["other"].status == "different"
    assert fits["none"].status == "unknown"


def test_the_explanation_names_the_eligibility_rule_and_common_languages(
    build: Callable[..., Matcher],
) -> None:
    matcher = build([offer("O1", countries_eligible=("SIDS",), languages=("en", "fr"))])
    explanation = matcher.match(need(country="FJ", language="fr"))[0].explanation
    assert explanation is not None
    assert explanation.eligibility_reason.rule == "country group"
    assert explanation.eligibility_reason.label == "SIDS"
    assert explanation.common_languages == ("fr",)


def test_the_explanation_shows_the_sentences_with_shared_words(build: Callable[..., Matcher]) -> None:
    matcher = build(
        [
            offer(
                "O1",
                title="METT course",
                description="Management effectiveness tracking. Sessions on the METT for park staff.",
            )
        ]
    )
    requester = need(
        language="es", title="Evaluación con el METT", description="Capacitación para guardaparques."
    )
    explanation = matcher.match(requester)[0].explanation
    assert explanation is not None
    by_side = {passage.side: passage for passage in explanation.passages}
    assert by_side["need"].terms == ("METT",)
    assert "METT" in by_side["offer"].excerpt
    assert by_side["offer"].reason == "shared words"


def test_a_not_relevant_penalty_moves_the_offer_down(build: Callable[..., Matcher]) -> None:
    matcher = build([offer("O1"), offer("O2", title="Reef survey course")])
    first = matcher.match(need())[0].offer_id
    penalised = matcher.match(need(), penalties={first: matcher.weights.not_relevant})
    assert penalised[-1].offer_id == first
    assert penalised[-1].features["penalty"] == matcher.weights.not_relevant
