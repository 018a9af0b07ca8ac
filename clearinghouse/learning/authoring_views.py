"""Trainers' pages: a new course, its catalogue entry, its outline (modules, lessons, quizzes
and their questions, one plain form each, no JavaScript), a language switcher to write the same
course in another language, a preview of the working copy as learners will read it, and
submission for review. Each page asks ``authoring`` to make the change in one step; a refused
change shows why and leaves the draft as it was."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.languages import CONTENT_LANGUAGES, LANGUAGE_CHOICES, language_name, language_names
from clearinghouse.core.multilingual import show
from clearinghouse.core.params import whole_number
from clearinghouse.learning import authoring, permissions
from clearinghouse.learning import outline as outlines
from clearinghouse.learning.authoring_forms import (
    KIND_NAMES,
    QUESTION_FORMS,
    LessonForm,
    ModuleForm,
    QuestionForm,
    QuizForm,
)
from clearinghouse.learning.forms import CourseForm
from clearinghouse.learning.models import Course
from clearinghouse.learning.views import course_context, find, shown_outline
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import workflow
from clearinghouse.publishing.forms import StartForm
from clearinghouse.publishing.views import translation_page
from clearinghouse.support import services as support_services
from clearinghouse.support.forms import TranslationForm
from clearinghouse.support.views import save_change


def _authored(request: HttpRequest, identifier: str) -> Course:
    course = find(identifier)
    if not permissions.can_author(request.user, course):
        raise PermissionDenied
    return course


def _language(request: HttpRequest, course: Course) -> str:
    """The language the trainer writes in on this page (``?language=``), else the course's own."""
    wanted = request.POST.get("language") or request.GET.get("language") or ""
    return wanted if wanted in _languages(course) else course.original_language


def _languages(course: Course) -> list[str]:
    """The languages a trainer writes a course in: its own (any ISO 639 language), then the six."""
    return list(dict.fromkeys((course.original_language, *CONTENT_LANGUAGES)))


def _outline_url(course: Course, language: str, anchor: str = "") -> str:
    url = f"{reverse('learning:outline', args=[course.identifier])}?language={language}"
    return f"{url}#{anchor}" if anchor else url


def _base(request: HttpRequest) -> int | None:
    return whole_number(request.POST, "base_revision") or None


def _working(course: Course) -> dict[str, Any]:
    working, _many = workflow.working_copy(course)
    return dict(working.outline or outlines.empty())


def _attempt(form: forms.Form, change: Callable[[], Any]) -> bool:
    """Make the change; on a refusal, its reasons go on the form and nothing is saved."""
    try:
        change()
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _page(
    request: HttpRequest,
    course: Course,
    language: str,
    heading: str,
    forms_shown: list[forms.Form],
    **extra: Any,
) -> HttpResponse:
    context = {
        "course": course,
        "language": language,
        "language_name": language_name(language),
        "heading": heading,
        "forms": forms_shown,
        "back": _outline_url(course, language),
        **extra,
    }
    return render(request, "learning/authoring/part.html", context)


# --- the catalogue entry -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """A new course: for whom, in which language, and its catalogue entry."""
    user = signed_in(request)
    owners = permissions.course_owners(user) if permissions.authors_courses(user) else []
    if not owners:
        raise PermissionDenied(
            _("Trainers and the people who register records for an organisation write courses.")
        )
    choices = sorted(
        (
            (f"organisation:{owner.pk}", owner.display_name())
            if isinstance(owner, Organisation)
            else (f"country:{owner.pk}", owner.name())
            for owner in owners
        ),
        key=lambda choice: choice[1].casefold(),
    )
    owner_form = StartForm(request.POST or None, owners=choices)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and owner_form.is_valid() and form.is_valid():
        try:
            course = authoring.create(
                actor=user,
                owner=owner_form.cleaned_data["owner"],
                language=owner_form.cleaned_data["original_language"],
                cleaned=form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Draft saved as %(identifier)s. Now write its modules and lessons.")
                % {"identifier": course.identifier},
            )
            return redirect(_outline_url(course, course.original_language))
    return render(
        request,
        "learning/authoring/course_form.html",
        {"owner_form": owner_form, "form": form, "course": None},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, identifier: str) -> HttpResponse:
    """The catalogue entry, saved as a new draft revision."""
    course = _authored(request, identifier)
    working, many = workflow.working_copy(course)
    initial = CourseForm.initial_from(Course, working, many, course.original_language)
    form = CourseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = save_change(request, course, form, save=authoring.save, again="learning:edit")
        if saved is not None:
            return saved
    latest = workflow.latest_revision(course)
    context = {
        "form": form,
        "course": course,
        "problems": course.submission_problems(latest.content) if latest else [],
        "translations": [(code, name) for code, name in LANGUAGE_CHOICES if code != course.original_language],
    }
    return render(request, "learning/authoring/course_form.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def translate(request: HttpRequest, identifier: str, language: str) -> HttpResponse:
    """The catalogue entry's texts (title, summary, description) in another language."""
    course = _authored(request, identifier)
    form = TranslationForm(request.POST or None, model=Course)
    return translation_page(request, course, language, form=form, save=support_services.save_values)


# --- the outline ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def outline(request: HttpRequest, identifier: str) -> HttpResponse:
    """The outline in one language: every part with its links to change it, what is still
    missing in this language, and the other languages with their count of missing texts."""
    course = _authored(request, identifier)
    language = _language(request, course)
    working = _working(course)
    latest = workflow.latest_revision(course)
    context = {
        "course": course,
        "language": language,
        "language_name": language_name(language),
        "languages": [
            (code, name, outlines.missing_in(working, code) if outlines.modules(working) else 0)
            for code, name in language_names(_languages(course))
        ],
        "missing": outlines.missing_in(working, language) if outlines.modules(working) else 0,
        "modules": shown_outline(working, course.original_language, language),
        "kinds": list(KIND_NAMES.items()),
        "base_revision": course.revision_number,
        "problems": course.submission_problems(latest.content) if latest else [],
        "editable": course.state not in {"submitted", "archived"},
        "complete": outlines.complete_languages(working, course.title),
    }
    return render(request, "learning/authoring/outline.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def module_new(request: HttpRequest, identifier: str) -> HttpResponse:
    course = _authored(request, identifier)
    language = _language(request, course)
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added: list[str] = []
        if _attempt(
            form,
            lambda: added.append(
                authoring.add_module(
                    course,
                    actor=signed_in(request),
                    language=language,
                    title=form.cleaned_data["title"],
                    base_revision=_base(request),
                )
            ),
        ):
            messages.success(request, _("Module added."))
            return redirect(_outline_url(course, language, added[0]))
    return _page(request, course, language, _("New module"), [form])


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def module_edit(request: HttpRequest, identifier: str, key: str) -> HttpResponse:
    course = _authored(request, identifier)
    language = _language(request, course)
    module = outlines.find_module(_working(course), key)
    if module is None:
        raise Http404
    form = ModuleForm(request.POST or None, initial={"title": (module.get("title") or {}).get(language, "")})
    if request.method == "POST" and form.is_valid():
        change = lambda: authoring.edit_module(  # noqa: E731
            course,
            key,
            actor=signed_in(request),
            language=language,
            title=form.cleaned_data["title"],
            base_revision=_base(request),
        )
        if _attempt(form, change):
            messages.success(request, _("Module saved."))
            return redirect(_outline_url(course, language, key))
    return _page(request, course, language, _("Edit the module"), [form], original=module.get("title"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def lesson_new(request: HttpRequest, identifier: str, key: str) -> HttpResponse:
    course = _authored(request, identifier)
    language = _language(request, course)
    if outlines.find_module(_working(course), key) is None:
        raise Http404
    form = LessonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added: list[str] = []
        if _attempt(
            form,
            lambda: added.append(
                authoring.add_lesson(
                    course,
                    key,
                    actor=signed_in(request),
                    language=language,
                    values=form.values(),
                    base_revision=_base(request),
                )
            ),
        ):
            messages.success(request, _("Lesson added."))
            return redirect(_outline_url(course, language, added[0]))
    return _page(request, course, language, _("New lesson"), [form])


def _question_form(
    kind: str, data: Any, question: dict[str, Any] | None, language: str, original: str = ""
) -> QuestionForm:
    """The form of a question of ``kind``; written in another language than the course's, each
    choice and each side of a pair shows the text it translates."""
    form_class = QUESTION_FORMS.get(kind)
    if form_class is None:
        raise Http404
    initial = form_class.initial_for(question, language) if question else {}
    form = form_class(data, initial=initial, slots=QuestionForm.slots_for(question), prefix="question")
    if question and original and original != language:
        slots = [(f"choice_{n}", c.get("text")) for n, c in enumerate(question.get("choices") or [], start=1)]
        for number, pair in enumerate(question.get("pairs") or [], start=1):
            slots += [(f"left_{number}", pair.get("left")), (f"right_{number}", pair.get("right"))]
        for name, texts in slots:
            shown = show(texts or {}, original)
            if name in form.fields and shown.text:
                form.fields[name].help_text = _("Translates: %(text)s") % {"text": shown.text}
    return form


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def quiz_new(request: HttpRequest, identifier: str, key: str, kind: str) -> HttpResponse:
    """A new quiz with its settings and its first question, of the kind chosen."""
    course = _authored(request, identifier)
    language = _language(request, course)
    if outlines.find_module(_working(course), key) is None:
        raise Http404
    data = request.POST or None
    form = QuizForm(data, prefix="quiz")
    question = _question_form(kind, data, None, language)
    if request.method == "POST" and form.is_valid() and question.is_valid():
        added: list[str] = []
        if _attempt(
            form,
            lambda: added.append(
                authoring.add_quiz(
                    course,
                    key,
                    actor=signed_in(request),
                    language=language,
                    values=form.cleaned_data,
                    kind=kind,
                    question=question.values(),
                    base_revision=_base(request),
                )
            ),
        ):
            messages.success(request, _("Quiz added."))
            return redirect(_outline_url(course, language, added[0]))
    return _page(request, course, language, _("New quiz"), [form, question], kind_name=KIND_NAMES[kind])


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def item_edit(request: HttpRequest, identifier: str, key: str) -> HttpResponse:
    """A lesson's form, or a quiz's settings with its questions."""
    course = _authored(request, identifier)
    language = _language(request, course)
    working = _working(course)
    located = outlines.find(working, key)
    if located is None or located.item.get("type") not in ("lesson", "quiz"):
        raise Http404
    item = located.item
    user = signed_in(request)
    form: forms.Form
    if item["type"] == "lesson":
        lesson = LessonForm(request.POST or None, initial=LessonForm.initial_for(item, language))
        form = lesson
        save: Callable[[], Any] = lambda: authoring.edit_lesson(  # noqa: E731
            course, key, actor=user, language=language, values=lesson.values(), base_revision=_base(request)
        )
    else:
        form = QuizForm(request.POST or None, initial=QuizForm.initial_for(item, language))
        save = lambda: authoring.edit_quiz(  # noqa: E731
            course, key, actor=user, language=language, values=form.cleaned_data, base_revision=_base(request)
        )
    if request.method == "POST" and form.is_valid() and _attempt(form, save):
        messages.success(request, _("Saved."))
        return redirect(_outline_url(course, language, key))
    heading = _("Edit the lesson") if item["type"] == "lesson" else _("Edit the quiz")
    questions = []
    if item["type"] == "quiz":
        shown = shown_outline(
            {"modules": [{"key": "-", "title": {}, "items": [item]}]},
            course.original_language,
            language,
            whole=True,
        )
        questions = shown[0].items[0].questions
    return _page(
        request,
        course,
        language,
        heading,
        [form],
        item=item,
        original=item.get("title"),
        questions=questions,
        kinds=list(KIND_NAMES.items()),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_new(request: HttpRequest, identifier: str, key: str, kind: str) -> HttpResponse:
    course = _authored(request, identifier)
    language = _language(request, course)
    located = outlines.find(_working(course), key)
    if located is None or located.item.get("type") != "quiz":
        raise Http404
    form = _question_form(kind, request.POST or None, None, language)
    if request.method == "POST" and form.is_valid():
        change = lambda: authoring.add_question(  # noqa: E731
            course,
            key,
            actor=signed_in(request),
            language=language,
            kind=kind,
            values=form.values(),
            base_revision=_base(request),
        )
        if _attempt(form, change):
            messages.success(request, _("Question added."))
            return redirect(f"{reverse('learning:item', args=[course.identifier, key])}?language={language}")
    return _page(request, course, language, _("New question"), [form], kind_name=KIND_NAMES[kind])


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_edit(request: HttpRequest, identifier: str, key: str, question_key: str) -> HttpResponse:
    course = _authored(request, identifier)
    language = _language(request, course)
    located = outlines.find(_working(course), key)
    question = outlines.question(located.item, question_key) if located is not None else None
    if question is None:
        raise Http404
    kind = str(question.get("kind"))
    form = _question_form(kind, request.POST or None, dict(question), language, course.original_language)
    if request.method == "POST" and form.is_valid():
        change = lambda: authoring.edit_question(  # noqa: E731
            course,
            key,
            question_key,
            actor=signed_in(request),
            language=language,
            values=form.values(),
            base_revision=_base(request),
        )
        if _attempt(form, change):
            messages.success(request, _("Question saved."))
            return redirect(f"{reverse('learning:item', args=[course.identifier, key])}?language={language}")
    return _page(
        request,
        course,
        language,
        _("Edit the question"),
        [form],
        kind_name=KIND_NAMES.get(kind, kind),
        original=question.get("text"),
    )


@login_required
@require_POST
def move(request: HttpRequest, identifier: str, key: str, direction: str) -> HttpResponse:
    course = _authored(request, identifier)
    language = _language(request, course)
    try:
        authoring.move(course, key, direction, actor=signed_in(request), base_revision=_base(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    quiz = request.POST.get("quiz", "")
    if outlines.KEY.match(quiz):
        # A question moved on its quiz's page: back there.
        return redirect(f"{reverse('learning:item', args=[course.identifier, quiz])}?language={language}")
    return redirect(_outline_url(course, language, key))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request: HttpRequest, identifier: str, key: str) -> HttpResponse:
    """Ask, then delete a module (with what it holds), a lesson, a quiz or a question."""
    course = _authored(request, identifier)
    language = _language(request, course)
    found = authoring.find_part(_working(course), key)
    if found is None:
        raise Http404
    part_type, part = found
    if request.method == "POST":
        try:
            authoring.delete(course, key, actor=signed_in(request), base_revision=_base(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Deleted."))
        return redirect(_outline_url(course, language))
    texts = part.get("text") if part_type == "question" else part.get("title")
    context = {
        "course": course,
        "language": language,
        "part_type": part_type,
        "name": show(texts or {}, course.original_language, language),
        "back": _outline_url(course, language),
        "base_revision": course.revision_number,
    }
    return render(request, "learning/authoring/delete.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def preview(request: HttpRequest, identifier: str) -> HttpResponse:
    """The working copy as learners will read it, whole, in the chosen language (read-only)."""
    course = _authored(request, identifier)
    language = _language(request, course)
    working, _many = workflow.working_copy(course)
    context = course_context(request, working, working.outline)
    context |= {
        "modules": shown_outline(working.outline, course.original_language, language, whole=True),
        "language": language,
        "languages": language_names(_languages(course)),
        "course": course,
        "record": course,
    }
    return render(request, "learning/authoring/preview.html", context)


@login_required
@require_POST
def submit(request: HttpRequest, identifier: str) -> HttpResponse:
    course = _authored(request, identifier)
    try:
        authoring.submit(course, actor=signed_in(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_outline_url(course, _language(request, course)))
    messages.success(request, _("Submitted for review. The reviewers have been told."))
    return redirect(course.get_absolute_url())


urlpatterns = [
    path("new/", new, name="new"),
    path("courses/<str:identifier>/edit/", edit, name="edit"),
    path("courses/<str:identifier>/translate/<str:language>/", translate, name="translate"),
    path("courses/<str:identifier>/outline/", outline, name="outline"),
    path("courses/<str:identifier>/outline/modules/new/", module_new, name="module_new"),
    path("courses/<str:identifier>/outline/modules/<str:key>/", module_edit, name="module"),
    path("courses/<str:identifier>/outline/modules/<str:key>/lessons/new/", lesson_new, name="lesson_new"),
    path(
        "courses/<str:identifier>/outline/modules/<str:key>/quizzes/new/<str:kind>/",
        quiz_new,
        name="quiz_new",
    ),
    path("courses/<str:identifier>/outline/items/<str:key>/", item_edit, name="item"),
    path(
        "courses/<str:identifier>/outline/items/<str:key>/questions/new/<str:kind>/",
        question_new,
        name="question_new",
    ),
    path(
        "courses/<str:identifier>/outline/items/<str:key>/questions/<str:question_key>/",
        question_edit,
        name="question",
    ),
    path("courses/<str:identifier>/outline/<str:key>/move/<str:direction>/", move, name="move"),
    path("courses/<str:identifier>/outline/<str:key>/delete/", delete, name="delete"),
    path("courses/<str:identifier>/preview/", preview, name="preview"),
    path("courses/<str:identifier>/submit/", submit, name="submit"),
]
