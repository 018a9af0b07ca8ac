"""Learning activity as xAPI 1.0.3 statements (https://github.com/adlnet/xAPI-Spec, 1.0.3).

Each row of the activity log (models.Activity) is one statement, with the row's id as the
statement's id, so a store that receives a statement twice keeps it once. Written by hand: the
Python xAPI libraries (TinCanPython) are unmaintained, and a statement is a small JSON document.

- actor: an Agent identified by an account on this platform whose name is the learner's
  pseudonym (a random UUID), never their e-mail: a learning record store learns nothing about
  who the person is.
- verb: the ADL verb of the same name, displayed in American English and the learner's language.
- object: the course, addressed by its stable public address (``/r/<identifier>``), or one of
  its items or questions at that address + ``#<key>``, defined with its name in every language
  the outline has and its ADL activity type; a question is a cmi.interaction with its type,
  its choices and its correct responses.
- result: score, success, completion, and the response in the interaction's format.
- context: the enrolment as registration (a UUID derived from it), the course (and module, and
  quiz for a question) as parent and grouping, the language of study, the platform.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC
from typing import Any

import rules
from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation

from clearinghouse.accounts.permissions import is_secretariat
from clearinghouse.core.languages import is_language_code
from clearinghouse.learning import outline as outlines
from clearinghouse.learning.models import Activity, Course, Enrolment, Pseudonym, Verb

VERSION = "1.0.3"
PLATFORM = "Clearinghouse"
ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"
COURSE_TYPE = ADL_ACTIVITIES + "course"
MODULE_TYPE = ADL_ACTIVITIES + "module"
INTERACTION_TYPE = ADL_ACTIVITIES + "cmi.interaction"
ITEM_TYPES = {
    "lesson": ADL_ACTIVITIES + "lesson",
    "quiz": ADL_ACTIVITIES + "assessment",
    # A SCORM module is a lesson in a package: the course's progress counts it as one.
    "scorm": ADL_ACTIVITIES + "lesson",
}
# xAPI interaction types of the outline's question kinds.
INTERACTIONS = {
    "single": "choice",
    "multiple": "choice",
    "true_false": "true-false",
    "short": "fill-in",
    "matching": "matching",
}
# Language maps are keyed by RFC 5646 tags; the content code "zh" is written in simplified script.
_TAGS = {"zh": "zh-Hans"}
# Registrations are UUIDs derived from the enrolment (RFC 4122 version 5) in this namespace.
_REGISTRATIONS = uuid.uuid5(uuid.NAMESPACE_URL, "https://www.cbd.int/clearinghouse/learning/enrolments")

rules.add_perm("learning.export_statements", is_secretariat)


def tag(code: str) -> str:
    return _TAGS.get(code, code)


def language_map(texts: Mapping[str, Any] | None) -> dict[str, str]:
    """{"en": "...", "zh": "..."} as an xAPI language map, without empty texts."""
    return {
        tag(code): str(text).strip()
        for code, text in (texts or {}).items()
        if is_language_code(code) and str(text or "").strip()
    }


def course_iri(course: Course) -> str:
    """The course's activity id: its stable public address, the same in every language."""
    return settings.SITE_URL.rstrip("/") + reverse("resolve", args=[course.identifier])


def registration(enrolment: Enrolment) -> str:
    """A UUID for the enrolment, the same every time (xAPI context.registration)."""
    site = settings.SITE_URL.rstrip("/")
    return str(uuid.uuid5(_REGISTRATIONS, f"{site}/enrolments/{enrolment.pk}"))


def pseudonyms(user_ids: Iterable[int]) -> dict[int, str]:
    """The pseudonym of each of these people, made the first time it is needed."""
    wanted = set(user_ids)
    known = dict(Pseudonym.objects.filter(user_id__in=wanted).values_list("user_id", "value"))
    missing = wanted - set(known)
    if missing:
        Pseudonym.objects.bulk_create([Pseudonym(user_id=pk) for pk in missing], ignore_conflicts=True)
        known = dict(Pseudonym.objects.filter(user_id__in=wanted).values_list("user_id", "value"))
    return {pk: str(value) for pk, value in known.items()}


def pseudonym(user_id: int) -> str:
    return pseudonyms([user_id])[user_id]


def actor(pseudonym_value: str) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "account": {"homePage": settings.SITE_URL.rstrip("/"), "name": pseudonym_value},
    }


def verb(name: str, language: str) -> dict[str, Any]:
    """The ADL verb, displayed in American English and in the learner's language."""
    display = {"en-US": name}
    if language != "en":
        ui = {"zh": "zh-hans"}.get(language, language)
        with translation.override(ui):
            display[tag(language)] = str(Verb(name).label)
    return {"id": ADL_VERBS + name, "display": display}


# --- objects -------------------------------------------------------------------------------------


def _course_activity(course: Course, iri: str) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": COURSE_TYPE}
    if name := language_map(course.title):
        definition["name"] = name
    if description := language_map(course.summary):
        definition["description"] = description
    return {"objectType": "Activity", "id": iri, "definition": definition}


def _keyed_activity(
    base: str, key: str, activity_type: str, name: Mapping[str, Any] | None
) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": activity_type}
    if texts := language_map(name):
        definition["name"] = texts
    return {"objectType": "Activity", "id": f"{base}#{key}", "definition": definition}


def _components(entries: Iterable[Mapping[str, Any]], field: str) -> list[dict[str, Any]]:
    return [
        {"id": str(entry["key"]), "description": language_map(entry.get(field)) or {"und": str(entry["key"])}}
        for entry in entries
    ]


def interaction(question: Mapping[str, Any]) -> dict[str, Any]:
    """A question's interaction definition: its type, components and correct responses."""
    kind = str(question.get("kind"))
    definition: dict[str, Any] = {"type": INTERACTION_TYPE, "interactionType": INTERACTIONS[kind]}
    if text := language_map(question.get("text")):
        definition["description"] = text
    if kind in ("single", "multiple"):
        choices = question.get("choices") or []
        definition["choices"] = _components(choices, "text")
        definition["correctResponsesPattern"] = [
            "[,]".join(str(c["key"]) for c in choices if c.get("correct") is True)
        ]
    elif kind == "true_false":
        definition["correctResponsesPattern"] = ["true" if question.get("answer") else "false"]
    elif kind == "short":
        accepted = question.get("accepted") or {}
        answers = sorted({a.strip() for values in accepted.values() for a in values if str(a).strip()})
        definition["correctResponsesPattern"] = [f"{{case_matters=false}}{a}" for a in answers]
    elif kind == "matching":
        pairs = question.get("pairs") or []
        definition["source"] = _components(pairs, "left")
        definition["target"] = _components(pairs, "right")
        definition["correctResponsesPattern"] = ["[,]".join(f"{p['key']}[.]{p['key']}" for p in pairs)]
    return definition


def response(question: Mapping[str, Any] | None, answer: Any) -> str:
    """A learner's answer in the xAPI response format of the question's interaction type."""
    kind = (question or {}).get("kind")
    if kind == "multiple" and isinstance(answer, list):
        return "[,]".join(str(a) for a in answer)
    if kind == "true_false" or isinstance(answer, bool):
        return "true" if answer is True else "false"
    if kind == "matching" and isinstance(answer, dict):
        return "[,]".join(f"{left}[.]{right}" for left, right in answer.items())
    if isinstance(answer, list):
        return "[,]".join(str(a) for a in answer)
    return "" if answer is None else str(answer)


def _find_question(outline: Mapping[str, Any], key: str) -> tuple[outlines.Located, Mapping[str, Any]] | None:
    for located in outlines.items(outline):
        if located.item.get("type") == "quiz" and (found := outlines.question(located.item, key)):
            return located, found
    return None


# --- statements ----------------------------------------------------------------------------------


def _result(raw: Mapping[str, Any], question: Mapping[str, Any] | None) -> dict[str, Any]:
    result: dict[str, Any] = {}
    score = raw.get("score")
    if isinstance(score, Mapping) and isinstance(score.get("scaled"), int | float):
        result["score"] = {"scaled": max(-1.0, min(1.0, float(score["scaled"])))}
    for flag in ("success", "completion"):
        if isinstance(raw.get(flag), bool):
            result[flag] = raw[flag]
    if "response" in raw:
        result["response"] = response(question, raw["response"])
    return result


def statement(activity: Activity, pseudonym_value: str) -> dict[str, Any]:
    """The xAPI statement of one row of the activity log."""
    enrolment = activity.enrolment
    course = enrolment.course
    base = course_iri(course)
    course_activity = _course_activity(course, base)
    context_activities: dict[str, list[dict[str, Any]]] = {}
    question: Mapping[str, Any] | None = None
    key = activity.object_key
    if not key:
        obj = course_activity
    elif (located := outlines.find(course.outline, key)) is not None:
        item = located.item
        obj = _keyed_activity(
            base, key, ITEM_TYPES.get(str(item.get("type")), ITEM_TYPES["lesson"]), item.get("title")
        )
        context_activities["parent"] = [course_activity]
        context_activities["grouping"] = [
            _keyed_activity(base, str(located.module["key"]), MODULE_TYPE, located.module.get("title"))
        ]
    elif (found := _find_question(course.outline, key)) is not None:
        quiz, question = found
        obj = {"objectType": "Activity", "id": f"{base}#{key}", "definition": interaction(question)}
        context_activities["parent"] = [
            _keyed_activity(base, str(quiz.item["key"]), ITEM_TYPES["quiz"], quiz.item.get("title"))
        ]
        context_activities["grouping"] = [
            course_activity,
            _keyed_activity(base, str(quiz.module["key"]), MODULE_TYPE, quiz.module.get("title")),
        ]
    else:
        # An item a later revision of the course removed: still the same address, no definition.
        obj = {"objectType": "Activity", "id": f"{base}#{key}"}
        context_activities["parent"] = [course_activity]
    context: dict[str, Any] = {
        "registration": registration(enrolment),
        "platform": PLATFORM,
        "language": tag(activity.language),
    }
    if context_activities:
        context["contextActivities"] = context_activities
    made: dict[str, Any] = {
        "id": str(activity.id),
        "actor": actor(pseudonym_value),
        "verb": verb(activity.verb, activity.language),
        "object": obj,
        "context": context,
        "timestamp": activity.timestamp.astimezone(UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z"),
        "version": VERSION,
    }
    if result := _result(activity.result or {}, question):
        made["result"] = result
    return made


def with_everything(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    return activities.select_related("enrolment__course")


def statements(activities: QuerySet[Activity], *, chunk: int = 500) -> Iterator[dict[str, Any]]:
    """The statements of these activities, in order, read ``chunk`` rows at a time."""
    rows = with_everything(activities).order_by("timestamp", "id")
    last: tuple[Any, Any] | None = None
    while True:
        page = rows
        if last is not None:
            page = rows.filter(timestamp__gte=last[0]).exclude(timestamp=last[0], id__lte=last[1])
        batch = list(page[:chunk])
        if not batch:
            return
        names = pseudonyms({row.enrolment.person_id for row in batch})
        for row in batch:
            yield statement(row, names[row.enrolment.person_id])
        last = (batch[-1].timestamp, batch[-1].id)


def of_learner(user_id: int) -> QuerySet[Activity]:
    """Everything a person did in every course."""
    return Activity.objects.filter(enrolment__person_id=user_id)
