"""The outline holds a course's content: what makes one sound, and in which languages a course
can be studied from start to end."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from clearinghouse.learning import outline as outlines


def _course() -> dict[str, Any]:
    return {
        "modules": [
            {
                "key": "m1",
                "title": {"en": "Why biodiversity finance", "fr": "Pourquoi financer la biodiversité"},
                "items": [
                    {
                        "key": "l1",
                        "type": "lesson",
                        "title": {"en": "The finance gap", "fr": "Le déficit de financement"},
                        "body": {"en": "<p>Gap.</p>", "fr": "<p>Déficit.</p>"},
                        "video_url": "https://video.example.org/1",
                        "transcript": {"en": "Words."},
                        "files": [{"name": "Plan", "url": "https://example.org/plan.pdf"}],
                    },
                    {
                        "key": "q1",
                        "type": "quiz",
                        "title": {"en": "Check", "fr": "Vérification"},
                        "pass_mark": 60,
                        "max_attempts": 2,
                        "draw": 2,
                        "closes_at": "2030-01-01T00:00:00+00:00",
                        "questions": [
                            {
                                "key": "x1",
                                "kind": "single",
                                "text": {"en": "Pick", "fr": "Choisir"},
                                "choices": [
                                    {"key": "a", "text": {"en": "A", "fr": "A"}, "correct": True},
                                    {"key": "b", "text": {"en": "B", "fr": "B"}, "correct": False},
                                ],
                            },
                            {
                                "key": "x2",
                                "kind": "true_false",
                                "text": {"en": "True?", "fr": "Vrai ?"},
                                "answer": True,
                            },
                            {
                                "key": "x3",
                                "kind": "short",
                                "text": {"en": "Name it", "fr": "Nommez-le"},
                                "accepted": {"en": ["BIOFIN"], "fr": ["BIOFIN"]},
                            },
                        ],
                    },
                ],
            }
        ]
    }


def test_a_sound_outline_passes_and_names_the_languages_it_is_complete_in() -> None:
    course = _course()
    outlines.validate(course)
    assert outlines.complete_languages(course, {"en": "Finance", "fr": "Finance"}) == ["en", "fr"]
    # The title alone in Arabic does not make an Arabic version.
    assert outlines.complete_languages(course, {"en": "Finance", "ar": "تمويل"}) == ["en"]
    assert outlines.complete_languages(outlines.empty(), {"en": "Finance"}) == []


def test_one_untranslated_choice_keeps_a_language_out_and_is_counted_as_missing() -> None:
    course = _course()
    del course["modules"][0]["items"][1]["questions"][0]["choices"][1]["text"]["fr"]
    assert outlines.complete_languages(course, {"en": "F", "fr": "F"}) == ["en"]
    assert outlines.missing_in(course, "fr") == 1
    assert outlines.missing_in(course, "en") == 0


def test_items_are_found_by_key_with_their_module() -> None:
    course = _course()
    located = outlines.find(course, "q1")
    assert located is not None and located.module["key"] == "m1" and located.item_index == 1
    assert outlines.find(course, "nope") is None
    assert [q["key"] for q in outlines.of_type(course, "quiz")] == ["q1"]
    assert outlines.closes_at(located.item) is not None


def _broken(change: Any) -> list[str]:
    course = copy.deepcopy(_course())
    change(course)
    return outlines.problems(course)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (
            lambda c: c["modules"][0]["items"][1]["questions"][0]["choices"][1].update(correct=True),
            "one right answer",
        ),
        (lambda c: c["modules"][0]["items"][1].update(pass_mark=120), "pass mark"),
        (lambda c: c["modules"][0]["items"][1].update(draw=9), "at most the number"),
        (lambda c: c["modules"][0]["items"][1].update(closes_at="next week"), "closing date"),
        (lambda c: c["modules"][0]["items"][0].update(key="m1"), "used twice"),
        (lambda c: c["modules"][0]["items"][0].update(key="../x"), "valid key"),
        (lambda c: c["modules"][0]["items"][0].update(video_url="http://plain.example.org"), "https://"),
        (lambda c: c["modules"][0]["items"][0].update(type="exam"), "not a lesson"),
        (lambda c: c["modules"][0]["items"][0].update(title={"xx": "?"}), "texts by language"),
        (
            lambda c: c["modules"][0]["items"][1]["questions"][2].update(accepted={"en": [" "]}),
            "accepted answer",
        ),
        (lambda c: c["modules"][0]["items"][1]["questions"][1].update(answer="yes"), "true or false"),
        (lambda c: c["modules"][0]["items"][1].update(questions=[]), "no questions"),
        (
            lambda c: c["modules"][0]["items"].append({"key": "s1", "type": "scorm", "title": {"en": "S"}}),
            "SCORM",
        ),
    ],
)
def test_an_unsound_outline_is_refused_with_a_reason(change: Any, says: str) -> None:
    found = _broken(change)
    assert found and any(says in problem for problem in found), found


def test_a_matching_question_needs_two_pairs_and_not_json_of_another_shape() -> None:
    question = {
        "key": "x9",
        "kind": "matching",
        "text": {"en": "Match"},
        "pairs": [
            {"key": "p1", "left": {"en": "CBD"}, "right": {"en": "1992"}},
        ],
    }
    assert any(
        "two pairs" in p for p in _broken(lambda c: c["modules"][0]["items"][1]["questions"].append(question))
    )
    assert outlines.problems([]) == ["The outline must be a list of modules."]
    with pytest.raises(ValidationError):
        outlines.validate({"modules": [{"key": "m", "title": {"en": "M"}, "items": "lesson"}]})


def test_an_outline_too_large_is_refused_whole() -> None:
    modules = [{"key": f"m{n}", "title": {"en": "M"}, "items": []} for n in range(outlines.MAX_MODULES + 1)]
    assert outlines.problems({"modules": modules}) == [
        f"A course has at most {outlines.MAX_MODULES} modules."
    ]
