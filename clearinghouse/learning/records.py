"""What courses contribute to search, matching, feeds, monitoring and import/export (see
docs/learning.md). Loaded from LearningConfig.ready().

Courses answer needs for training: they are matched on the support side. Their search document
adds the titles of their modules, lessons and quizzes (read from the published outline), and
their "language" facet is the languages the whole course can be studied in, not every language
a title happens to have.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from clearinghouse.learning import outline as outlines
from clearinghouse.learning.feeds import CourseFeed
from clearinghouse.learning.models import Course, Level
from clearinghouse.publishing import registry
from clearinghouse.publishing.registry import (
    PARTY,
    Matched,
    MatchFacts,
    RecordType,
    Searched,
    Syndicated,
    codes,
    codes_only,
)
from clearinghouse.search import labels
from clearinghouse.support.exchange import exchanged

TRAINING = "training"


def outline_texts(course: Course) -> dict[str, list[str]]:
    """The titles of the course's modules and of their lessons and quizzes, by language."""
    found: dict[str, list[str]] = {}
    for module in outlines.modules(course.outline):
        for texts in (
            module.get("title") or {},
            *((item.get("title") or {}) for item in module.get("items") or []),
        ):
            for code, text in texts.items():
                if isinstance(text, str) and text.strip():
                    found.setdefault(str(code), []).append(text)
    return found


def course_facets(course: Course) -> Mapping[str, list[str]]:
    """The level, and the languages the whole course can be studied in."""
    return {
        "course_level": [course.level] if course.level else [],
        "language": list(course.languages or []),
        "status": course.status_facets(),
    }


def course_facts(course: Course) -> MatchFacts:
    """A course answers needs for training in its subjects and targets, in its languages."""
    texts: tuple[Mapping[str, Any], ...] = (course.title, course.summary, course.description)
    return MatchFacts(
        texts=texts,
        support_types=(TRAINING,),
        targets=codes(course.gbf_targets),
        subjects=codes(course.subjects),
        languages=tuple(course.languages or ()),
        provider=course.owner_organisation.display_name() if course.owner_organisation else "",
    )


COURSES = registry.register(
    RecordType(
        model=Course,
        schema_type="Course",
        search=Searched(
            texts=("summary", "description"),
            more_texts=outline_texts,
            terms={
                "target": ("gbf_targets",),
                "subject": ("subjects",),
                "target_group": ("target_groups",),
            },
            facets=course_facets,
        ),
        matching=Matched(
            side="support",
            facts=course_facts,
            select_related=("owner_organisation",),
            prefetch_related=codes_only("subjects", "gbf_targets"),
        ),
        feed=Syndicated("courses", CourseFeed()),
        dimensions={
            "level": "level",
            "language": "original_language",
            "subject": "subjects__code",
            "target": "gbf_targets__code",
            "party": PARTY,
        },
        exchange=exchanged(Course, back=("learning:catalogue", ())),
    )
)

# The search page names the facet courses add, in the reader's language.
labels.register_facet("course_level", _("Level"), dict(Level.choices))
