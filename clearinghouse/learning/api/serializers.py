from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clearinghouse.learning import outline as outlines
from clearinghouse.learning.models import Course
from clearinghouse.publishing.api.serializers import record_fields
from clearinghouse.support.api.serializers import SupportRecordSerializer

# What of a question the public may read: never which choice is right, the statement's truth,
# the accepted answers, which sides of a pair belong together, nor the feedback (it explains
# the right answer).
_QUESTION_TEXTS = ("key", "kind", "text")


def public_question(question: Mapping[str, Any]) -> dict[str, Any]:
    shown: dict[str, Any] = {name: question.get(name) for name in _QUESTION_TEXTS}
    if question.get("kind") in ("single", "multiple"):
        shown["choices"] = [
            {"key": choice.get("key"), "text": choice.get("text") or {}}
            for choice in question.get("choices") or []
        ]
    if question.get("kind") == "matching":
        pairs = question.get("pairs") or []
        shown["items"] = [{"key": pair.get("key"), "text": pair.get("left") or {}} for pair in pairs]
        # The other side as texts only, in an order of their own: its keys would give the pairs.
        shown["matches"] = sorted(
            (pair.get("right") or {} for pair in pairs),
            key=lambda texts: sorted(str(text) for text in texts.values()),
        )
    return shown


def public_outline(outline: Mapping[str, Any] | None) -> dict[str, Any]:
    """The outline as learners may read it before they answer anything."""
    modules = []
    for module in outlines.modules(outline):
        items = []
        for item in module.get("items") or []:
            kind = item.get("type")
            shown: dict[str, Any] = {"key": item.get("key"), "type": kind, "title": item.get("title") or {}}
            if kind == "lesson":
                shown |= {
                    name: item.get(name) or default
                    for name, default in (("body", {}), ("video_url", ""), ("transcript", {}), ("files", []))
                }
            elif kind == "quiz":
                shown |= {
                    "pass_mark": item.get("pass_mark"),
                    "max_attempts": item.get("max_attempts") or 0,
                    "draw": item.get("draw") or 0,
                    "closes_at": item.get("closes_at") or None,
                    "questions": [public_question(q) for q in item.get("questions") or []],
                }
            items.append(shown)
        modules.append({"key": module.get("key"), "title": module.get("title") or {}, "items": items})
    return {"modules": modules}


class CourseSerializer(SupportRecordSerializer):
    """A published course, with its whole outline as learners read it (no answers)."""

    outline = serializers.SerializerMethodField(
        help_text=(
            "Modules, their lessons and quizzes, texts by language. Questions come without their "
            "answers: no right choices, accepted answers, pairs or feedback."
        )
    )
    languages = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="ISO 639-1 codes of the languages the whole course can be studied in.",
    )

    class Meta:
        model = Course
        fields = [
            *record_fields(),
            "confirmed_at",
            "stale",
            *(name for name in Course.CONTENT_FIELDS[1:]),
            "languages",
            "self_enrolment",
        ]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_outline(self, course: Course) -> dict[str, Any]:
        return public_outline(course.outline)
