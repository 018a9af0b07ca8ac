"""Marking: every kind of question, short answers compared across languages, the draw."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clearinghouse.learning import grading
from clearinghouse.learning.tests.factories import QUESTIONS, RIGHT, quiz

BY_KEY = {question["key"]: question for question in QUESTIONS}


@pytest.mark.parametrize("key", sorted(RIGHT))
def test_the_right_answer_to_every_kind_is_right(key: str) -> None:
    assert grading.is_right(BY_KEY[key], RIGHT[key])


@pytest.mark.parametrize(
    ("key", "answer"),
    [
        ("single1", "b"),
        ("single1", ["a"]),  # a list is not a single choice
        ("single1", None),
        ("multiple1", ["a"]),  # half the right choices
        ("multiple1", ["a", "b", "c"]),  # and a wrong one
        ("multiple1", "a"),
        ("multiple1", [1, 2]),
        ("truefalse1", False),
        ("truefalse1", "true"),  # the text, not the truth
        ("truefalse1", 1),
        ("short1", "coral"),
        ("short1", "   "),
        ("short1", ["coral reef"]),
        ("match1", {"p1": "p2", "p2": "p1"}),
        ("match1", {"p1": "p1"}),  # one pair left unmatched
        ("match1", {"p1": "p1", "p2": "p2", "p3": "p3"}),
        ("match1", [["p1", "p1"]]),
    ],
)
def test_wrong_or_malformed_answers_are_wrong(key: str, answer: object) -> None:
    assert not grading.is_right(BY_KEY[key], answer)


def test_an_unknown_kind_of_question_is_never_right() -> None:
    assert not grading.is_right({"key": "x", "kind": "essay"}, "anything")


@pytest.mark.parametrize(
    "answer",
    [
        "coral reef",
        "  Coral   REEF ",
        "récif corallien",
        "RECIF CORALLIEN",
        "Récif  corallien",
        "الشعاب المرجانية",
        "الشِّعابُ المرجانيّة",
    ],
)
def test_short_answers_compare_without_case_accents_or_spaces_in_any_language_of_the_course(
    answer: str,
) -> None:
    assert grading.is_right(BY_KEY["short1"], answer)


def test_normalisation_keeps_letters_that_are_not_accents() -> None:
    assert grading.normalised("Écosystème ") == "ecosysteme"
    assert grading.normalised("ЁЛКА") == "елка"  # the Cyrillic diaeresis is a combining mark too
    assert grading.normalised("生态系统") == "生态系统"
    # Full-width letters (typed with a Chinese keyboard) are the same letters.
    assert grading.normalised("ＣＢＤ") == "cbd"


def test_the_score_is_the_share_of_drawn_questions_answered_right() -> None:
    bank = quiz()
    drawn = [q["key"] for q in QUESTIONS]
    assert grading.score(bank, drawn, RIGHT) == Decimal("1.0000")
    two_of_three = grading.score(
        bank, ["single1", "truefalse1", "short1"], {"single1": "a", "truefalse1": True}
    )
    assert two_of_three == Decimal("0.6667")
    assert grading.score(bank, [], RIGHT) == Decimal(0)
    # An answer to a question that was not drawn earns nothing.
    assert grading.score(bank, ["single1"], {"truefalse1": True}) == Decimal(0)


def test_the_pass_mark_is_inclusive() -> None:
    assert grading.passes(quiz(pass_mark=60), Decimal("0.6"))
    assert not grading.passes(quiz(pass_mark=60), Decimal("0.5999"))
    assert grading.passes(quiz(pass_mark=0), Decimal(0))


def test_the_draw_is_the_same_for_the_same_seed_and_varies_with_it() -> None:
    bank = quiz(draw=3)
    first = grading.draw(bank, "7:q1:1")
    assert len(first) == 3 and len(set(first)) == 3
    assert set(first) <= set(BY_KEY)
    assert grading.draw(bank, "7:q1:1") == first
    draws = {tuple(grading.draw(bank, f"7:q1:{number}")) for number in range(1, 30)}
    assert len(draws) > 1


def test_drawing_nothing_or_everything_gives_the_whole_bank_in_order() -> None:
    keys = [q["key"] for q in QUESTIONS]
    assert grading.draw(quiz(draw=0), "s") == keys
    assert grading.draw(quiz(draw=len(keys)), "s") == keys
