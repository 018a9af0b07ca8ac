"""Marking a quiz: which questions an attempt draws and whether an answer is right. Pure
functions of the outline, so the same rules mark an attempt made online and one made offline
(the offline package carries a copy of them in JavaScript; see offline.py)."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

Answer = Any


def draw(quiz: Mapping[str, Any], seed: str) -> list[str]:
    """The keys of the questions for one attempt: ``draw`` of the bank at random (all when 0),
    the same for the same seed."""
    keys = [str(q["key"]) for q in quiz.get("questions") or []]
    wanted = int(quiz.get("draw") or 0)
    if not wanted or wanted >= len(keys):
        return keys
    return random.Random(seed).sample(keys, wanted)  # noqa: S311  # nosec B311 - an order of questions


def normalised(text: str) -> str:
    """Short answers compare without case, accents or extra spaces ("Écosystème " = "ecosysteme")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def is_right(question: Mapping[str, Any], answer: Answer) -> bool:
    """Whether ``answer`` answers ``question``. Answers by kind:
    single: a choice key; multiple: a list of choice keys; true_false: a bool;
    short: a text (accepted in any language of the course); matching: {left key: right key}."""
    kind = question.get("kind")
    if kind == "single":
        right = [c["key"] for c in question.get("choices") or [] if c.get("correct") is True]
        return isinstance(answer, str) and [answer] == right
    if kind == "multiple":
        wanted = {c["key"] for c in question.get("choices") or [] if c.get("correct") is True}
        return isinstance(answer, list) and all(isinstance(a, str) for a in answer) and set(answer) == wanted
    if kind == "true_false":
        return isinstance(answer, bool) and answer is question.get("answer")
    if kind == "short":
        if not isinstance(answer, str) or not answer.strip():
            return False
        given = normalised(answer)
        accepted = question.get("accepted") or {}
        return any(
            given == normalised(a) for answers in accepted.values() for a in answers if isinstance(a, str)
        )
    if kind == "matching":
        pairs = [p["key"] for p in question.get("pairs") or []]
        return (
            isinstance(answer, dict) and len(answer) == len(pairs) and all(answer.get(k) == k for k in pairs)
        )
    return False


def score(quiz: Mapping[str, Any], drawn: list[str], answers: Mapping[str, Answer]) -> Decimal:
    """The share of the drawn questions answered right, 0 to 1 with four decimals."""
    if not drawn:
        return Decimal(0)
    bank = {str(q["key"]): q for q in quiz.get("questions") or []}
    right = sum(1 for key in drawn if key in bank and is_right(bank[key], answers.get(key)))
    return (Decimal(right) / Decimal(len(drawn))).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def passes(quiz: Mapping[str, Any], scaled: Decimal) -> bool:
    return scaled * 100 >= Decimal(int(quiz.get("pass_mark") or 0))
