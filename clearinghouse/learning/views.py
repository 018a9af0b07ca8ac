"""The course catalogue (/learning/) and a course's page: what it teaches, in which languages,
for whom, and who offers it. The learner's part of the page (enrolling, studying) is a panel of
its own (``learning/catalogue/_learner_panel.html``).

The page reads the course row once, its terms and activities in one query each, and walks the
outline in memory: its cost does not grow with the number of modules or questions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.languages import content_language
from clearinghouse.core.languages import language_names as named_languages
from clearinghouse.core.multilingual import Shown, show
from clearinghouse.learning import enrolment, permissions
from clearinghouse.learning import outline as outlines
from clearinghouse.learning.filtersets import CourseFilter
from clearinghouse.learning.models import Course
from clearinghouse.publishing import access, documents, registry, usage, workflow
from clearinghouse.publishing.models import State, Usage
from clearinghouse.publishing.owners import owners_for

PAGE_SIZE = 20


def find(identifier: str) -> Course:
    record = registry.find(identifier)
    if not isinstance(record, Course):
        raise Http404
    return record


def language_names(codes: Iterable[str]) -> str:
    """Content languages (any ISO 639 language) named in the reader's language, the six first."""
    return ", ".join(name for _code, name in named_languages(codes))


def hours(value: Decimal | None) -> str:
    """A duration as people write it: "6 hours", "1.5 hours"."""
    if value is None:
        return ""
    number = value.normalize()
    if number == number.to_integral_value():
        whole = int(number)
        return ngettext("%(hours)d hour", "%(hours)d hours", whole) % {"hours": whole}
    # A fraction of an hour takes the form languages give fractions (one form: no plural rule).
    return pgettext("a duration with a fraction of an hour", "%(hours)s hours") % {"hours": f"{number:f}"}


# --- the outline as a reader sees it -------------------------------------------------------------


@dataclass(frozen=True)
class ShownQuestion:
    key: str
    kind: str
    text: Shown
    choices: list[Shown] = field(default_factory=list)
    lefts: list[Shown] = field(default_factory=list)
    rights: list[Shown] = field(default_factory=list)


@dataclass(frozen=True)
class ShownItem:
    key: str
    type: str
    title: Shown
    item: Mapping[str, Any]
    body: Shown | None = None
    transcript: Shown | None = None
    questions: list[ShownQuestion] = field(default_factory=list)

    @property
    def question_count(self) -> int:
        return len(self.item.get("questions") or [])

    @property
    def drawn(self) -> int:
        return int(self.item.get("draw") or 0) or self.question_count


@dataclass(frozen=True)
class ShownModule:
    key: str
    title: Shown
    items: list[ShownItem]


def _texts(value: Any) -> Mapping[str, str]:
    return value if isinstance(value, Mapping) else {}


def _question(entry: Mapping[str, Any], original: str, language: str) -> ShownQuestion:
    """A question as a learner reads it: its text, choices and the two sides of its pairs (the
    right side shuffled by nothing but its own order: the answers are never marked)."""
    return ShownQuestion(
        key=str(entry.get("key")),
        kind=str(entry.get("kind")),
        text=show(_texts(entry.get("text")), original, language),
        choices=[show(_texts(c.get("text")), original, language) for c in entry.get("choices") or []],
        lefts=[show(_texts(p.get("left")), original, language) for p in entry.get("pairs") or []],
        rights=sorted(
            (show(_texts(p.get("right")), original, language) for p in entry.get("pairs") or []),
            key=lambda shown: shown.text.casefold(),
        ),
    )


def shown_outline(
    outline: Mapping[str, Any] | None, original: str, language: str | None = None, *, whole: bool = False
) -> list[ShownModule]:
    """The outline's titles in the reader's language (else the original, marked); ``whole``
    adds the lessons' texts and the quizzes' questions (a preview of the course)."""
    language = content_language(language)
    modules = []
    for module in outlines.modules(outline):
        items = []
        for item in module.get("items") or []:
            extra: dict[str, Any] = {}
            if whole and item.get("type") == "lesson":
                extra = {
                    "body": show(_texts(item.get("body")), original, language),
                    "transcript": show(_texts(item.get("transcript")), original, language),
                }
            if whole and item.get("type") == "quiz":
                extra = {"questions": [_question(q, original, language) for q in item.get("questions") or []]}
            items.append(
                ShownItem(
                    key=str(item.get("key")),
                    type=str(item.get("type")),
                    title=show(_texts(item.get("title")), original, language),
                    item=item,
                    **extra,
                )
            )
        modules.append(
            ShownModule(str(module.get("key")), show(_texts(module.get("title")), original, language), items)
        )
    return modules


# --- the catalogue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One course as the catalogue lists it."""

    course: Course
    title: Shown
    summary: Shown
    languages: str
    duration: str
    modules: int


def rows(courses: Iterable[Course]) -> list[Row]:
    return [
        Row(
            course,
            show(course.title, course.original_language),
            show(course.summary, course.original_language),
            language_names(course.languages or []),
            hours(course.duration_hours),
            len(outlines.modules(course.outline)),
        )
        for course in courses
    ]


def _listed() -> QuerySet[Course]:
    return Course.objects.filter(live=True).select_related("owner_country", "owner_organisation")


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    """Published courses with filters, newest first."""
    filters = CourseFilter(request.GET or None, queryset=_listed())
    courses = filters.qs.distinct().order_by("-first_published_at", "-pk")
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters.form,
        "page": page,
        "rows": rows(page),
        "authors": permissions.authors_courses(request.user),
    }
    return render(request, "learning/catalogue/list.html", context)


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The courses this person writes: those they started or changed, and, for who registers
    records for owners, their owners' courses; drafts included, latest first."""
    user = signed_in(request)
    if not permissions.authors_courses(user):
        raise Http404
    owners = owners_for(user)
    courses = Course.objects.filter(created_by=user)
    countries = [owner.pk for owner in owners if owner._meta.model_name == "country"]
    organisations = [owner.pk for owner in owners if owner._meta.model_name == "organisation"]
    courses |= Course.objects.filter(owner_country__in=countries) | Course.objects.filter(
        owner_organisation__in=organisations
    )
    listed = courses.select_related("owner_country", "owner_organisation").order_by("-updated_at", "-pk")[
        :200
    ]
    return render(request, "learning/catalogue/mine.html", {"rows": rows(listed)})


# --- a course's page -----------------------------------------------------------------------------


class CourseFacts:
    """What the course page shows of the catalogue entry and the outline, read when the page
    asks (the page keeps its rendering of them in the cache until the course changes)."""

    def __init__(self, course: Course, outline: Mapping[str, Any] | None) -> None:
        self.course = course
        self.outline = outline

    @cached_property
    def modules(self) -> list[ShownModule]:
        return shown_outline(self.outline, self.course.original_language)

    @cached_property
    def lessons_count(self) -> int:
        return count_items(self.modules, "lesson")

    @cached_property
    def quizzes_count(self) -> int:
        return count_items(self.modules, "quiz")

    @cached_property
    def languages(self) -> str:
        return language_names(outlines.complete_languages(self.outline, self.course.title))

    @cached_property
    def duration(self) -> str:
        return hours(self.course.duration_hours)

    @cached_property
    def terms(self) -> dict[str, list[str]]:
        return {
            name: [term.label() for term in getattr(self.course, name).all()]
            for name in ("target_groups", "gbf_targets", "subjects")
        }

    @cached_property
    def activities(self) -> list[tuple[Any, Shown]]:
        return [
            (activity, show(activity.texts, activity.original_language))
            for activity in self.course.plan_activities.order_by("number")
        ]


def course_context(request: HttpRequest, course: Course, outline: Mapping[str, Any] | None) -> dict[str, Any]:
    """What the course page and its preview show: the catalogue entry and the outline's titles."""
    user = request.user
    insider = access.can_read_working_copy(user, course)
    original = course.original_language
    return {
        "record": course,
        "course": course,
        "title": course.title,
        "insider": insider,
        "actions": documents.actions(user, course) if insider or user.is_authenticated else [],
        "latest": workflow.latest_revision(course) if insider else None,
        "page_url": documents.page_url(course),
        "summary": show(course.summary, original),
        "description": show(course.description, original),
        "facts": CourseFacts(course, outline),
        # The cached part of the page is keyed by the version it shows.
        "version": course.live_revision_number if course.live else f"draft-{course.revision_number}",
        "can_author": permissions.can_author(user, course)
        and course.state not in {State.SUBMITTED, State.ARCHIVED},
        # Confidential: for the owners, reviewers and help desk (publishing.access).
        "contact_email": ""
        if "contact_email" in access.hidden_fields(user, course)
        else course.contact_email,
        # The learner's and the trainer's ways in from the course page.
        "enrolment": enrolment.enrolment_of(course, user) if course.live else None,
        "teaches": enrolment.teaches(user, course),
    }


@require_safe
def course(request: HttpRequest, identifier: str) -> HttpResponse:
    """The course's public page (its authors and reviewers see a draft never published)."""
    found = find(identifier)
    if not access.can_see(request.user, found):
        raise Http404
    usage.record_used(request, found, Usage.VIEW)
    if found.live:
        outline = found.outline
    else:
        working, _many = workflow.working_copy(found)
        outline = working.outline
    return render(request, "learning/catalogue/course.html", course_context(request, found, outline))


def count_items(modules: Sequence[ShownModule], item_type: str) -> int:
    return sum(1 for module in modules for item in module.items if item.type == item_type)
