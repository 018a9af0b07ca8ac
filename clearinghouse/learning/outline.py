"""A course's content as one JSON document, the outline, reviewed and published with the course.

    {"modules": [
        {"key": "m1", "title": {"en": "..."}, "items": [
            {"key": "l1", "type": "lesson", "title": {...}, "body": {lang: sanitised HTML},
             "video_url": "https://...", "transcript": {lang: text},
             "files": [{"name": "...", "url": "https://..."}]},
            {"key": "q1", "type": "quiz", "title": {...}, "pass_mark": 70, "max_attempts": 3,
             "draw": 10, "closes_at": "2027-03-31T23:59:00+00:00" or null,
             "questions": [QUESTION, ...]},
            {"key": "s1", "type": "scorm", "title": {...}, "package": "<ScormPackage token>"}]}]}

    QUESTION: {"key": "x1", "kind": "single" | "multiple" | "true_false" | "short" | "matching",
               "text": {lang: text}, "feedback": {lang: text},
               single/multiple: "choices": [{"key": "a", "text": {...}, "correct": bool}],
               true_false: "answer": bool,
               short: "accepted": {lang: ["answer", ...]},
               matching: "pairs": [{"key": "p1", "left": {...}, "right": {...}}]}

Keys are stable: progress, attempts and xAPI statements refer to items and questions by key, so
renaming or translating never breaks a learner's record. A quiz's questions are its bank; it
draws ``draw`` of them at random for each attempt (0: all).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from clearinghouse.core.languages import CONTENT_LANGUAGES, is_language_code

ITEM_TYPES = ("lesson", "quiz", "scorm")
QUESTION_KINDS = ("single", "multiple", "true_false", "short", "matching")
KEY = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
# An outline bigger than this is not a course but an accident (or an attack): refused whole.
MAX_MODULES = 100
MAX_ITEMS = 2000
MAX_QUESTIONS = 500


def empty() -> dict[str, Any]:
    return {"modules": []}


@dataclass(frozen=True)
class Located:
    """An item of the outline with the module it belongs to."""

    module: Mapping[str, Any]
    item: Mapping[str, Any]
    module_index: int
    item_index: int


def modules(outline: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    return list((outline or {}).get("modules") or [])


def items(outline: Mapping[str, Any] | None) -> Iterator[Located]:
    for module_index, module in enumerate(modules(outline)):
        for item_index, item in enumerate(module.get("items") or []):
            yield Located(module, item, module_index, item_index)


def find(outline: Mapping[str, Any] | None, key: str) -> Located | None:
    return next((located for located in items(outline) if located.item.get("key") == key), None)


def find_module(outline: Mapping[str, Any] | None, key: str) -> Mapping[str, Any] | None:
    return next((module for module in modules(outline) if module.get("key") == key), None)


def of_type(outline: Mapping[str, Any] | None, item_type: str) -> list[Mapping[str, Any]]:
    return [located.item for located in items(outline) if located.item.get("type") == item_type]


def question(quiz: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    return next((q for q in quiz.get("questions") or [] if q.get("key") == key), None)


def closes_at(quiz: Mapping[str, Any]) -> datetime | None:
    value = quiz.get("closes_at")
    return parse_datetime(value) if isinstance(value, str) and value else None


# --- languages -----------------------------------------------------------------------------------


def _texts(outline: Mapping[str, Any] | None) -> Iterator[Mapping[str, Any]]:
    """Every multilingual text a learner must be able to read."""
    for module in modules(outline):
        yield module.get("title") or {}
        for item in module.get("items") or []:
            yield item.get("title") or {}
            if item.get("type") == "lesson":
                yield item.get("body") or {}
            for entry in item.get("questions") or []:
                yield entry.get("text") or {}
                for choice in entry.get("choices") or []:
                    yield choice.get("text") or {}
                for pair in entry.get("pairs") or []:
                    yield pair.get("left") or {}
                    yield pair.get("right") or {}
                if entry.get("kind") == "short":
                    yield {code: " ".join(answers) for code, answers in (entry.get("accepted") or {}).items()}


def complete_languages(outline: Mapping[str, Any] | None, title: Mapping[str, str] | None) -> list[str]:
    """The languages in which the whole course can be studied: the title and every text of the
    outline have one in that language. An empty outline makes no language complete."""
    if not modules(outline):
        return []
    # The six first, then any other language the title is written in.
    found = [code for code in dict.fromkeys((*CONTENT_LANGUAGES, *(title or {}))) if (title or {}).get(code)]
    for texts in _texts(outline):
        found = [code for code in found if str(texts.get(code) or "").strip()]
        if not found:
            break
    return found


def missing_in(outline: Mapping[str, Any] | None, language: str) -> int:
    """How many texts of the outline lack a version in ``language`` (a trainer's to-do)."""
    return sum(1 for texts in _texts(outline) if not str(texts.get(language) or "").strip())


# --- validation ----------------------------------------------------------------------------------


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.keys: set[str] = set()

    def fail(self, message: str) -> None:
        if len(self.problems) < 20:
            self.problems.append(message)

    def key(self, value: Any, where: str) -> None:
        if not isinstance(value, str) or not KEY.match(value):
            self.fail(
                _("%(where)s has no valid key (letters, digits, - and _, up to 40).") % {"where": where}
            )
        elif value in self.keys:
            self.fail(_("The key %(key)s is used twice.") % {"key": value})
        else:
            self.keys.add(value)

    def texts(self, value: Any, where: str, *, required: bool = True) -> None:
        if value in (None, {}) and not required:
            return
        if not isinstance(value, dict) or not all(
            is_language_code(code) and isinstance(text, str) for code, text in value.items()
        ):
            self.fail(
                _("%(where)s must be texts by language (ISO 639 codes: ar, zh, en, fr, ru, es, qu ...).")
                % {"where": where}
            )
        elif required and not any(text.strip() for text in value.values()):
            self.fail(_("%(where)s is empty.") % {"where": where})

    def question(self, entry: Any, where: str) -> None:
        if not isinstance(entry, dict):
            self.fail(_("%(where)s is not a question.") % {"where": where})
            return
        self.key(entry.get("key"), where)
        self.texts(entry.get("text"), where)
        self.texts(entry.get("feedback"), where, required=False)
        kind = entry.get("kind")
        if kind in ("single", "multiple"):
            choices = entry.get("choices")
            if not isinstance(choices, list) or len(choices) < 2:
                self.fail(_("%(where)s needs at least two choices.") % {"where": where})
                return
            for choice in choices:
                if not isinstance(choice, dict):
                    self.fail(_("%(where)s has a choice that is not one.") % {"where": where})
                    return
                self.key(choice.get("key"), where)
                self.texts(choice.get("text"), where)
            right = sum(1 for choice in choices if choice.get("correct") is True)
            if right == 0 or (kind == "single" and right != 1):
                self.fail(
                    _(
                        "%(where)s: a single-choice question has one right answer, a multiple-choice "
                        "question at least one."
                    )
                    % {"where": where}
                )
        elif kind == "true_false":
            if not isinstance(entry.get("answer"), bool):
                self.fail(_("%(where)s: say whether the statement is true or false.") % {"where": where})
        elif kind == "short":
            accepted = entry.get("accepted")
            if not isinstance(accepted, dict) or not any(
                isinstance(answers, list) and any(isinstance(a, str) and a.strip() for a in answers)
                for answers in accepted.values()
            ):
                self.fail(_("%(where)s: give at least one accepted answer.") % {"where": where})
            elif not all(is_language_code(code) for code in accepted):
                self.fail(_("%(where)s: accepted answers are listed by language.") % {"where": where})
        elif kind == "matching":
            pairs = entry.get("pairs")
            if not isinstance(pairs, list) or len(pairs) < 2:
                self.fail(_("%(where)s needs at least two pairs to match.") % {"where": where})
                return
            for pair in pairs:
                if not isinstance(pair, dict):
                    self.fail(_("%(where)s has a pair that is not one.") % {"where": where})
                    return
                self.key(pair.get("key"), where)
                self.texts(pair.get("left"), where)
                self.texts(pair.get("right"), where)
        else:
            self.fail(_("%(where)s is of an unknown kind.") % {"where": where})

    def item(self, item: Any, where: str) -> None:
        if not isinstance(item, dict) or item.get("type") not in ITEM_TYPES:
            self.fail(_("%(where)s is not a lesson, quiz or SCORM module.") % {"where": where})
            return
        self.key(item.get("key"), where)
        self.texts(item.get("title"), where)
        if item["type"] == "lesson":
            self.texts(item.get("body"), where, required=False)
            self.texts(item.get("transcript"), where, required=False)
            video = item.get("video_url") or ""
            if not isinstance(video, str) or (video and not video.startswith("https://")):
                self.fail(_("%(where)s: a video is linked by an https:// address.") % {"where": where})
            files = item.get("files") or []
            if not isinstance(files, list) or not all(
                isinstance(f, dict) and isinstance(f.get("url"), str) and isinstance(f.get("name"), str)
                for f in files
            ):
                self.fail(_("%(where)s: files are listed with a name and an address.") % {"where": where})
        elif item["type"] == "quiz":
            self.quiz(item, where)
        elif not isinstance(item.get("package"), str) or not item["package"]:
            self.fail(_("%(where)s names no SCORM package.") % {"where": where})

    def quiz(self, item: Mapping[str, Any], where: str) -> None:
        pass_mark = item.get("pass_mark")
        if not isinstance(pass_mark, int) or isinstance(pass_mark, bool) or not 0 <= pass_mark <= 100:
            self.fail(_("%(where)s: the pass mark is a percentage from 0 to 100.") % {"where": where})
        attempts = item.get("max_attempts", 0)
        if not isinstance(attempts, int) or isinstance(attempts, bool) or not 0 <= attempts <= 100:
            self.fail(
                _("%(where)s: attempts allowed is a number from 0 (no limit) to 100.") % {"where": where}
            )
        questions = item.get("questions")
        if not isinstance(questions, list) or not questions:
            self.fail(_("%(where)s has no questions.") % {"where": where})
            return
        if len(questions) > MAX_QUESTIONS:
            self.fail(
                _("%(where)s has more than %(count)d questions.") % {"where": where, "count": MAX_QUESTIONS}
            )
            return
        draw = item.get("draw", 0)
        if not isinstance(draw, int) or isinstance(draw, bool) or not 0 <= draw <= len(questions):
            self.fail(
                _("%(where)s: the number of questions drawn is at most the number in its bank.")
                % {"where": where}
            )
        closes = item.get("closes_at")
        if closes not in (None, "") and (not isinstance(closes, str) or parse_datetime(closes) is None):
            self.fail(_("%(where)s: the closing date is not a date and time.") % {"where": where})
        for number, entry in enumerate(questions, start=1):
            self.question(entry, _("%(where)s, question %(number)d") % {"where": where, "number": number})


def problems(outline: Any) -> list[str]:
    """What is wrong with an outline, in the reader's language (empty when it is sound)."""
    checker = _Checker()
    if not isinstance(outline, dict) or not isinstance(outline.get("modules"), list):
        return [_("The outline must be a list of modules.")]
    if len(outline["modules"]) > MAX_MODULES:
        return [_("A course has at most %(count)d modules.") % {"count": MAX_MODULES}]
    if sum(len(m.get("items") or []) for m in outline["modules"] if isinstance(m, dict)) > MAX_ITEMS:
        return [
            _("A course has at most %(count)d lessons, quizzes and SCORM modules.") % {"count": MAX_ITEMS}
        ]
    for number, module in enumerate(outline["modules"], start=1):
        where = _("Module %(number)d") % {"number": number}
        if not isinstance(module, dict) or not isinstance(module.get("items", []), list):
            checker.fail(_("%(where)s is not a module.") % {"where": where})
            continue
        checker.key(module.get("key"), where)
        checker.texts(module.get("title"), where)
        for item_number, item in enumerate(module.get("items") or [], start=1):
            checker.item(item, _("%(where)s, item %(number)d") % {"where": where, "number": item_number})
    return checker.problems


def validate(outline: Any) -> None:
    found = problems(outline)
    if found:
        raise ValidationError(found, code="outline")
