"""Filters of the course catalogue, the same on its page (/learning/) and in the API
(/api/v1/courses/): level, a language the whole course can be studied in, subject, GBF target,
target group, and words of its title, summary, description or outline titles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from clearinghouse.core.languages import CONTENT_LANGUAGES, LANGUAGE_CHOICES, is_language_code, language_names
from clearinghouse.events.filtersets import CodeFilter
from clearinghouse.learning.models import Course, Level
from clearinghouse.learning.records import outline_texts
from clearinghouse.publishing.filtersets import TermFilter, subject_filter, target_filter

# Courses are few (hundreds, not millions): words are matched in every language of a course's
# texts, in Python, so that a search in Arabic or Chinese finds them on every database (JSON
# texts are stored escaped on SQLite, where a database "contains" misses them).
MAX_WORDS = 10
_LEVEL_HELP = "The course's level: introductory, intermediate or advanced."
_LANGUAGE_HELP = (
    "ISO 639 code of a language the whole course can be studied in (ar, zh, en, fr, ru, es, or "
    "another language's: ISO 639-1 where it has one, else ISO 639-3)."
)


def course_texts(course: Course) -> str:
    """Everything the text filter reads of a course, folded for comparison."""
    parts: list[str] = []
    for texts in (course.title, course.summary, course.description):
        parts += [str(text) for text in (texts or {}).values()]
    for found in outline_texts(course).values():
        parts += found
    return "\n".join(parts).casefold()


class CourseFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("Words"), method="filter_words", max_length=200)
    level = CodeFilter(
        description=_LEVEL_HELP,
        label=_("Level"),
        method="filter_level",
        widget=forms.Select(choices=[("", _("Any level")), *Level.choices]),
    )
    # A pick list on the page, a string in the API's schema (an unknown code finds nothing).
    language = CodeFilter(
        description=_LANGUAGE_HELP,
        label=_("Language"),
        method="filter_language",
        widget=forms.Select(choices=[("", _("Any language")), *LANGUAGE_CHOICES]),
    )
    subject = subject_filter()
    target = target_filter()
    target_group = TermFilter(
        field_name="target_groups",
        vocabulary="target-groups",
        label=_("Target group"),
        empty_label=_("Any group"),
        description="Target group code",
    )

    class Meta:
        model = Course
        fields = ["q", "level", "language", "subject", "target", "target_group"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The six languages always, then any other language a listed course can be studied in,
        # each by its name in the reader's language.
        present = {
            code for codes in self.queryset.values_list("languages", flat=True) for code in codes or ()
        }
        choices = language_names({*CONTENT_LANGUAGES, *present})
        self.filters["language"].extra["widget"] = forms.Select(choices=[("", _("Any language")), *choices])

    def filter_level(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Courses of this level; a level that does not exist finds nothing."""
        return queryset.filter(level=value) if value in Level.values else queryset.none()

    def filter_language(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Courses that can be studied whole in this language."""
        if not is_language_code(value):
            return queryset.none()
        # A JSON list holds the code as a quoted string; the text search works on every database.
        return queryset.filter(languages__icontains=f'"{value}"')

    def filter_words(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        words = [word.casefold() for word in value.split()[:MAX_WORDS]]
        if not words:
            return queryset
        matching = [
            course.pk
            for course in queryset.select_related(None).only(
                "pk", "title", "summary", "description", "outline"
            )
            if all(word in course_texts(course) for word in words)
        ]
        return queryset.filter(pk__in=matching)
