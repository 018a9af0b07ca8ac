"""Writing a course: its catalogue entry and its outline, one atomic step per edit.

Every edit of the outline loads the course's working copy (``workflow.working_copy``: the latest
revision, a draft or the published version), changes a copy of its outline, checks the whole
outline (``outline.problems``) and saves it as a new draft revision. An edit that would leave the
outline unsound is refused whole with the problems in the author's language: the draft stays as
it was. A published course stays public as it was until reviewers publish the change.

Texts are written one language at a time (``language``): an edit in French changes the French
texts and keeps the others. Keys are short, random and never reused within a course: progress,
attempts and xAPI statements refer to items by key, so they survive renaming, moving and
translating.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.core.languages import validate_language_code
from clearinghouse.geo.models import Country
from clearinghouse.learning import outline as outlines
from clearinghouse.learning import permissions
from clearinghouse.learning.models import Course
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import Revision
from clearinghouse.support import services as support
from clearinghouse.support.sanitising import clean_html

Outline = dict[str, Any]
UP, DOWN = "up", "down"


# --- the catalogue entry -------------------------------------------------------------------------


def _check(actor: User | None, course: Course) -> None:
    if actor is not None and not permissions.can_author(actor, course):
        raise PermissionDenied(_("You cannot change this course."))


@transaction.atomic
def create(
    *, actor: User | None, owner: Country | Organisation, language: str, cleaned: Mapping[str, Any]
) -> Course:
    """A new draft course for ``owner``, written in ``language``, with an empty outline."""
    if actor is not None and not any(
        type(candidate) is type(owner) and candidate.pk == owner.pk
        for candidate in permissions.course_owners(actor)
    ):
        raise PermissionDenied(_("You cannot write courses for this Party or organisation."))
    values = {name: value for name, value in cleaned.items() if name != "outline"}
    return support.create(Course, actor=actor, owner=owner, language=language, cleaned=values)


def save(
    course: Course, *, actor: User | None, cleaned: Mapping[str, Any], base_revision: int | None
) -> Revision:
    """Save the catalogue entry's form as a new draft revision (the outline is left as it is)."""
    _check(actor, course)
    values = {name: value for name, value in cleaned.items() if name != "outline"}
    return support.save(course, actor=actor, cleaned=values, base_revision=base_revision)


def submit(course: Course, *, actor: User | None) -> Revision:
    """Submit the latest revision for review (Course.submission_problems refuses an empty outline)."""
    _check(actor, course)
    return support.submit(course, actor=actor)


# --- the outline ---------------------------------------------------------------------------------


def all_keys(outline: Mapping[str, Any]) -> set[str]:
    """Every key used in the outline: modules, items, questions, choices and pairs."""
    found: set[str] = set()
    for module in outlines.modules(outline):
        found.add(str(module.get("key")))
        for item in module.get("items") or []:
            found.add(str(item.get("key")))
            for question in item.get("questions") or []:
                found.add(str(question.get("key")))
                for part in (*(question.get("choices") or []), *(question.get("pairs") or [])):
                    found.add(str(part.get("key")))
    return found


def new_key(outline: Mapping[str, Any], prefix: str, taken: set[str] | None = None) -> str:
    """A short random key (``m3fa91c0e``) no part of the outline uses yet."""
    used = all_keys(outline) if taken is None else taken
    while True:
        key = f"{prefix}{secrets.token_hex(4)}"
        if key not in used:
            used.add(key)
            return key


def _language(language: str) -> str:
    validate_language_code(language)
    return language


def set_text(texts: Mapping[str, Any] | None, language: str, value: str) -> dict[str, str]:
    """The texts with this language's version replaced (removed when ``value`` is empty)."""
    changed = {str(code): str(text) for code, text in (texts or {}).items()}
    if value.strip():
        changed[language] = value.strip()
    else:
        changed.pop(language, None)
    return changed


@transaction.atomic
def change_outline(
    course: Course,
    change: Callable[[Outline], None],
    *,
    actor: User | None,
    base_revision: int | None = None,
    note: str = "",
) -> Revision:
    """Apply ``change`` to a copy of the working outline and save it as a draft revision;
    ValidationError with every problem (and nothing saved) when the result is unsound."""
    _check(actor, course)
    working, _many = workflow.working_copy(course)
    outline: Outline = copy.deepcopy(working.outline) if working.outline else outlines.empty()
    outline.setdefault("modules", [])
    change(outline)
    problems = outlines.problems(outline)
    if problems:
        raise ValidationError(problems, code="outline")
    return workflow.save_draft(
        course, actor=actor, values={"outline": outline}, base_revision=base_revision, note=note
    )


def _module(outline: Outline, key: str) -> dict[str, Any]:
    for module in outline["modules"]:
        if module.get("key") == key:
            return module  # type: ignore[no-any-return]  # changed in place
    raise ValidationError(_("This course has no such module."), code="no_module")


def _item(outline: Outline, key: str, item_type: str | None = None) -> dict[str, Any]:
    for module in outline["modules"]:
        for item in module.get("items") or []:
            if item.get("key") == key and (item_type is None or item.get("type") == item_type):
                return item  # type: ignore[no-any-return]
    raise ValidationError(_("This course has no such lesson or quiz."), code="no_item")


def _question(quiz: Mapping[str, Any], key: str) -> dict[str, Any]:
    for question in quiz.get("questions") or []:
        if question.get("key") == key:
            return question  # type: ignore[no-any-return]
    raise ValidationError(_("This quiz has no such question."), code="no_question")


def add_module(
    course: Course, *, actor: User | None, language: str, title: str, base_revision: int | None = None
) -> str:
    """A new module at the end of the course; its key."""
    _language(language)
    added: list[str] = []

    def change(outline: Outline) -> None:
        key = new_key(outline, "m")
        outline["modules"].append({"key": key, "title": set_text({}, language, title), "items": []})
        added.append(key)

    change_outline(course, change, actor=actor, base_revision=base_revision, note=_("Module added"))
    return added[0]


def edit_module(
    course: Course,
    key: str,
    *,
    actor: User | None,
    language: str,
    title: str,
    base_revision: int | None = None,
) -> Revision:
    _language(language)

    def change(outline: Outline) -> None:
        module = _module(outline, key)
        module["title"] = set_text(module.get("title"), language, title)

    return change_outline(course, change, actor=actor, base_revision=base_revision)


def _files(rows: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    return [
        {"name": str(row["name"]).strip(), "url": str(row["url"]).strip()}
        for row in rows
        if str(row.get("url") or "").strip()
    ]


def _write_lesson(lesson: dict[str, Any], language: str, values: Mapping[str, Any]) -> None:
    lesson["title"] = set_text(lesson.get("title"), language, str(values.get("title") or ""))
    lesson["body"] = set_text(lesson.get("body"), language, clean_html(str(values.get("body") or "")))
    lesson["transcript"] = set_text(lesson.get("transcript"), language, str(values.get("transcript") or ""))
    lesson["video_url"] = str(values.get("video_url") or "").strip()
    lesson["files"] = _files(values.get("files") or [])


def add_lesson(
    course: Course,
    module_key: str,
    *,
    actor: User | None,
    language: str,
    values: Mapping[str, Any],
    base_revision: int | None = None,
) -> str:
    """A new lesson at the end of a module: title, rich body (sanitised), video link, its
    transcript and files (name and address); its key."""
    _language(language)
    added: list[str] = []

    def change(outline: Outline) -> None:
        module = _module(outline, module_key)
        lesson: dict[str, Any] = {"key": new_key(outline, "l"), "type": "lesson"}
        _write_lesson(lesson, language, values)
        module.setdefault("items", []).append(lesson)
        added.append(lesson["key"])

    change_outline(course, change, actor=actor, base_revision=base_revision, note=_("Lesson added"))
    return added[0]


def edit_lesson(
    course: Course,
    key: str,
    *,
    actor: User | None,
    language: str,
    values: Mapping[str, Any],
    base_revision: int | None = None,
) -> Revision:
    _language(language)

    def change(outline: Outline) -> None:
        _write_lesson(_item(outline, key, "lesson"), language, values)

    return change_outline(course, change, actor=actor, base_revision=base_revision)


def _write_quiz(quiz: dict[str, Any], language: str, values: Mapping[str, Any]) -> None:
    quiz["title"] = set_text(quiz.get("title"), language, str(values.get("title") or ""))
    quiz["pass_mark"] = values.get("pass_mark")
    quiz["max_attempts"] = values.get("max_attempts") or 0
    quiz["draw"] = values.get("draw") or 0
    closes: datetime | None = values.get("closes_at")
    quiz["closes_at"] = closes.isoformat() if closes else None


def _write_question(
    question: dict[str, Any], outline: Outline, taken: set[str], language: str, values: Mapping[str, Any]
) -> None:
    """Set a question's texts in ``language`` and its answer. Choices and pairs are slots in
    order: a slot keeps the key of the choice it shows; an empty slot drops a choice that has
    no text left in any language."""
    kind = question["kind"]
    question["text"] = set_text(question.get("text"), language, str(values.get("text") or ""))
    question["feedback"] = set_text(question.get("feedback"), language, str(values.get("feedback") or ""))
    if kind in ("single", "multiple"):
        existing = list(question.get("choices") or [])
        choices = []
        for index, (text, correct) in enumerate(values.get("choices") or []):
            choice = dict(existing[index]) if index < len(existing) else {"key": new_key(outline, "c", taken)}
            choice["text"] = set_text(choice.get("text"), language, str(text or ""))
            choice["correct"] = bool(correct)
            if choice["text"]:
                choices.append(choice)
        question["choices"] = choices
    elif kind == "true_false":
        question["answer"] = values.get("answer")
    elif kind == "short":
        accepted = dict(question.get("accepted") or {})
        answers = [str(answer).strip() for answer in values.get("accepted") or [] if str(answer).strip()]
        if answers:
            accepted[language] = answers
        else:
            accepted.pop(language, None)
        question["accepted"] = accepted
    elif kind == "matching":
        existing = list(question.get("pairs") or [])
        pairs = []
        for index, (left, right) in enumerate(values.get("pairs") or []):
            pair = dict(existing[index]) if index < len(existing) else {"key": new_key(outline, "p", taken)}
            pair["left"] = set_text(pair.get("left"), language, str(left or ""))
            pair["right"] = set_text(pair.get("right"), language, str(right or ""))
            if pair["left"] or pair["right"]:
                pairs.append(pair)
        question["pairs"] = pairs


def _new_question(outline: Outline, kind: str, language: str, values: Mapping[str, Any]) -> dict[str, Any]:
    if kind not in outlines.QUESTION_KINDS:
        raise ValidationError(_("There is no such kind of question."), code="kind")
    taken = all_keys(outline)
    question: dict[str, Any] = {"key": new_key(outline, "x", taken), "kind": kind}
    _write_question(question, outline, taken, language, values)
    return question


def add_quiz(
    course: Course,
    module_key: str,
    *,
    actor: User | None,
    language: str,
    values: Mapping[str, Any],
    kind: str,
    question: Mapping[str, Any],
    base_revision: int | None = None,
) -> str:
    """A new quiz at the end of a module, with its settings (pass mark, attempts allowed,
    questions drawn, closing date) and its first question (a quiz has at least one); its key."""
    _language(language)
    added: list[str] = []

    def change(outline: Outline) -> None:
        module = _module(outline, module_key)
        quiz: dict[str, Any] = {"key": new_key(outline, "q"), "type": "quiz"}
        _write_quiz(quiz, language, values)
        quiz["questions"] = [_new_question(outline, kind, language, question)]
        module.setdefault("items", []).append(quiz)
        added.append(quiz["key"])

    change_outline(course, change, actor=actor, base_revision=base_revision, note=_("Quiz added"))
    return added[0]


def edit_quiz(
    course: Course,
    key: str,
    *,
    actor: User | None,
    language: str,
    values: Mapping[str, Any],
    base_revision: int | None = None,
) -> Revision:
    _language(language)

    def change(outline: Outline) -> None:
        _write_quiz(_item(outline, key, "quiz"), language, values)

    return change_outline(course, change, actor=actor, base_revision=base_revision)


def add_question(
    course: Course,
    quiz_key: str,
    *,
    actor: User | None,
    language: str,
    kind: str,
    values: Mapping[str, Any],
    base_revision: int | None = None,
) -> str:
    """A new question at the end of a quiz's bank; its key."""
    _language(language)
    added: list[str] = []

    def change(outline: Outline) -> None:
        quiz = _item(outline, quiz_key, "quiz")
        question = _new_question(outline, kind, language, values)
        quiz.setdefault("questions", []).append(question)
        added.append(question["key"])

    change_outline(course, change, actor=actor, base_revision=base_revision, note=_("Question added"))
    return added[0]


def edit_question(
    course: Course,
    quiz_key: str,
    key: str,
    *,
    actor: User | None,
    language: str,
    values: Mapping[str, Any],
    base_revision: int | None = None,
) -> Revision:
    _language(language)

    def change(outline: Outline) -> None:
        question = _question(_item(outline, quiz_key, "quiz"), key)
        _write_question(question, outline, all_keys(outline), language, values)

    return change_outline(course, change, actor=actor, base_revision=base_revision)


def _siblings(outline: Outline, key: str) -> list[Any]:
    """The list that holds the part with this key: the modules, a module's items or a quiz's
    questions."""
    if any(module.get("key") == key for module in outline["modules"]):
        return outline["modules"]  # type: ignore[no-any-return]
    for module in outline["modules"]:
        items = module.get("items") or []
        if any(item.get("key") == key for item in items):
            return items
        for item in items:
            questions = item.get("questions") or []
            if any(question.get("key") == key for question in questions):
                return questions
    raise ValidationError(_("This course has no such part."), code="no_part")


def move(
    course: Course, key: str, direction: str, *, actor: User | None, base_revision: int | None = None
) -> Revision:
    """Move a module, a lesson or quiz, or a question one place up or down among its siblings
    (a module's first item moves up into no other module: it stays first)."""
    if direction not in (UP, DOWN):
        raise ValidationError(_("Move up or down."), code="direction")

    def change(outline: Outline) -> None:
        siblings = _siblings(outline, key)
        index = next(i for i, part in enumerate(siblings) if part.get("key") == key)
        other = index - 1 if direction == UP else index + 1
        if 0 <= other < len(siblings):
            siblings[index], siblings[other] = siblings[other], siblings[index]

    return change_outline(
        course, change, actor=actor, base_revision=base_revision, note=_("Outline reordered")
    )


def delete(course: Course, key: str, *, actor: User | None, base_revision: int | None = None) -> Revision:
    """Delete a module (with its lessons and quizzes), a lesson or quiz, or a question. A quiz
    keeps at least one question: deleting its last one is refused."""

    def change(outline: Outline) -> None:
        siblings = _siblings(outline, key)
        siblings[:] = [part for part in siblings if part.get("key") != key]

    return change_outline(course, change, actor=actor, base_revision=base_revision, note=_("Part deleted"))


def find_part(outline: Mapping[str, Any] | None, key: str) -> tuple[str, Mapping[str, Any]] | None:
    """("module" | "lesson" | "quiz" | "question", the part) for a key, or None."""
    for module in outlines.modules(outline):
        if module.get("key") == key:
            return "module", module
        for item in module.get("items") or []:
            if item.get("key") == key:
                return str(item.get("type")), item
            for question in item.get("questions") or []:
                if question.get("key") == key:
                    return "question", question
    return None
