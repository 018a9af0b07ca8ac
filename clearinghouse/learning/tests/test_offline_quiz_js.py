"""The offline package marks quizzes in the browser with a JavaScript copy of grading.py and
signs progress files with a JavaScript HMAC: both must agree with the server exactly. The
package's own offline.js and sha256.js run here in Node on the same fixtures as the Python."""

from __future__ import annotations

import json
import shutil
import subprocess  # nosec B404  # runs node on files of this repository
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from clearinghouse.learning import grading, offline
from clearinghouse.learning.tests.offline_factories import questions

NODE = shutil.which("node")
ASSETS = Path(offline.__file__).resolve().parent / "package_assets"
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

RUNNER = """
const offline = require(process.argv[1] + "/offline.js");
const sha = require(process.argv[1] + "/sha256.js");
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const data = JSON.parse(input);
  const out = {
    right: data.cases.map((c) => offline.isRight(c.question, c.answer)),
    normalised: data.texts.map((t) => offline.normalised(t)),
    scores: data.quizzes.map((q) => offline.score(q.quiz, q.drawn, q.answers)),
    passes: data.quizzes.map((q) => offline.passes(q.quiz, offline.score(q.quiz, q.drawn, q.answers))),
    draws: data.quizzes.map((q) => offline.draw(q.quiz)),
    file: offline.progressFile(sha.hmacSha256, data.personal, data.course, data.entries),
  };
  process.stdout.write(JSON.stringify(out));
});
"""


def run_node(data: dict[str, Any]) -> dict[str, Any]:
    assert NODE is not None
    done = subprocess.run(  # nosec B603
        [NODE, "-e", RUNNER, str(ASSETS)],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


BANK = questions(("en", "fr", "ar", "ru"), "1")
BANK[3]["accepted"] = {
    "en": ["biodiversity", "Biological diversity"],
    "fr": ["biodiversité"],
    "ar": ["التنوع البيولوجي"],
    "ru": ["Биоразнообразие"],
    "es": ["Straße  Ñandú"],
}
ANSWERS: dict[str, list[Any]] = {
    "single": ["qs1a", "qs1b", ["qs1a"], None, 1, True, "", "QS1A"],
    "multiple": [
        ["qm1a", "qm1b"],
        ["qm1b", "qm1a"],
        ["qm1a", "qm1b", "qm1a"],
        ["qm1a"],
        ["qm1a", "qm1b", "qm1c"],
        "qm1a",
        [],
        ["qm1a", 2],
        None,
        {"qm1a": True},
    ],
    "true_false": [True, False, "true", 1, None, 0],
    "short": [
        "biodiversity",
        "  BIODIVERSITY ",
        "Biodiversité",
        "biodiversite",
        "bio diversity",
        "biological   DIVERSITY",
        "التنوع البيولوجي",
        "التنوع  البيولوجيّ",
        "биоразнообразие",
        "БИОРАЗНООБРАЗИЕ",
        "STRASSE nandu",
        "strasse ñandu",
        "",
        "   ",
        None,
        ["biodiversity"],
        "ecosystem",
    ],
    "matching": [
        {"qp1p1": "qp1p1", "qp1p2": "qp1p2"},
        {"qp1p1": "qp1p2", "qp1p2": "qp1p1"},
        {"qp1p1": "qp1p1"},
        {"qp1p1": "qp1p1", "qp1p2": "qp1p2", "x": "x"},
        [["qp1p1", "qp1p1"]],
        None,
        "qp1p1",
    ],
}


def test_every_kind_of_question_is_marked_alike_in_the_browser_and_on_the_server() -> None:
    cases = [(question, answer) for question in BANK for answer in ANSWERS[question["kind"]]]
    texts = ["  Écosystème ", "Ёлка", "ΣΟΦΟΣ", "Straße", "ﬁne", "A\u00a0B\u3000C", "مَرْحَبًا", "中文  测试"]
    quiz = {"key": "q", "pass_mark": 60, "draw": 0, "questions": BANK, "max_attempts": 0}
    attempts = [
        {
            "drawn": ["qs1", "qm1", "qt1", "qa1", "qp1"],
            "answers": {"qs1": "qs1a", "qm1": ["qm1a"], "qt1": True},
        },
        {"drawn": ["qs1", "qm1", "qt1"], "answers": {"qs1": "qs1a", "qm1": ["qm1a", "qm1b"]}},
        {"drawn": ["qs1", "qm1", "qt1"], "answers": {"qs1": "qs1a", "qm1": ["qm1a", "qm1b"], "qt1": True}},
        {"drawn": ["qs1"], "answers": {}},
    ]
    result = run_node(
        {
            "cases": [{"question": offline._question(q, "fr"), "answer": a} for q, a in cases],
            "texts": texts,
            "quizzes": [
                {"quiz": offline._quiz(quiz, "fr"), "drawn": a["drawn"], "answers": a["answers"]}
                for a in attempts
            ],
            "personal": {"enrolment": 1, "key": "0" * 64, "attempts": {}},
            "course": "C",
            "entries": [],
        }
    )

    expected = [grading.is_right(question, answer) for question, answer in cases]
    assert result["right"] == expected
    # The fixtures are not all right or all wrong: both verdicts are compared.
    assert 0 < sum(expected) < len(expected)
    assert result["normalised"] == [grading.normalised(text) for text in texts]
    for attempt, scaled, passed in zip(attempts, result["scores"], result["passes"], strict=True):
        server = grading.score(quiz, attempt["drawn"], attempt["answers"])
        assert Decimal(scaled) / 10000 == server
        assert passed == grading.passes(quiz, server)
    assert [len(set(d)) for d in result["draws"]] == [5, 5, 5, 5]


def test_a_draw_takes_questions_of_the_bank_once_each() -> None:
    quiz = offline._quiz({"key": "q", "pass_mark": 50, "draw": 3, "questions": BANK}, "en")
    result = run_node(
        {
            "cases": [],
            "texts": [],
            "quizzes": [{"quiz": quiz, "drawn": [], "answers": {}}] * 30,
            "personal": {"enrolment": 1, "key": "0" * 64, "attempts": {}},
            "course": "C",
            "entries": [],
        }
    )
    bank = {q["key"] for q in BANK}
    assert all(len(drawn) == 3 == len(set(drawn)) and set(drawn) <= bank for drawn in result["draws"])
    # Random, not always the first three.
    assert len({tuple(drawn) for drawn in result["draws"]}) > 1


def test_a_file_signed_in_the_browser_verifies_on_the_server() -> None:
    key = "5f" * 32
    entries = [
        {
            "id": "0e4f5a9c-1b2d-4c3e-8f9a-0b1c2d3e4f5a",
            "type": "lesson",
            "item": "m1l1",
            "at": "2026-01-02T03:04:05.678Z",
        },
        {
            "id": "1e4f5a9c-1b2d-4c3e-8f9a-0b1c2d3e4f5a",
            "type": "attempt",
            "item": "m1q",
            "drawn": ["qa1", "qs1"],
            "answers": {"qa1": 'التنوع "البيولوجي"\n é', "qs1": "qs1a", "qp1": {"b": "1", "a": "2"}},
            "at": "2026-01-02T03:05:05.000Z",
        },
    ]
    result = run_node(
        {
            "cases": [],
            "texts": [],
            "quizzes": [],
            "personal": {"enrolment": 42, "key": key, "attempts": {}},
            "course": "CBD-COURSE-KE-1",
            "entries": entries,
        }
    )
    made = result["file"]
    signed = {k: made[k] for k in ("course", "enrolment", "entries", "format", "version")}
    assert made["signature"] == offline.sign(key, signed)
    assert made["signature"] != offline.sign("6f" * 32, signed)
