"""The learner's pages: enrolling (by themselves or by an invitation), the course home with
progress, lessons, quizzes and their results, withdrawing, and "My learning". Views parse and
render; enrolment.py, quizzes.py and progress.py decide."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import nh3
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.forms import add_service_errors
from clearinghouse.learning import enrolment as services
from clearinghouse.learning import outline as outlines
from clearinghouse.learning import progress, quizzes
from clearinghouse.learning.enrolment_forms import EnrolForm, LanguageForm
from clearinghouse.learning.models import (
    Course,
    CourseCertificate,
    Enrolment,
    EnrolmentStatus,
    ItemProgress,
    QuizAttempt,
)
from clearinghouse.learning.study_forms import QuizForm, shown
from clearinghouse.support.sanitising import ATTRIBUTES, TAGS, URL_SCHEMES

# Lessons may show images besides the formatting descriptions allow.
LESSON_TAGS = TAGS | {"img", "h2", "h5", "figure", "figcaption"}
LESSON_ATTRIBUTES = ATTRIBUTES | {"img": {"src", "alt", "width", "height"}}


def lesson_html(text: str) -> SafeString:
    """A lesson's body as safe HTML, sanitised again when shown (whatever the outline holds)."""
    cleaned = nh3.clean(
        text,
        tags=LESSON_TAGS,
        attributes=LESSON_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308  # nosec B308 B703 - sanitised by nh3 just above


def _language(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "") or "en"


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def first_reversing(name: str, *candidates: list[Any]) -> str | None:
    """The address of ``name`` for the first arguments it takes, or None when the page does not
    exist (yet) on this installation."""
    for args in candidates:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


# --- what a learner sees of the outline ----------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One item of the outline on the learner's pages."""

    key: str
    type: str
    title: str
    url: str | None
    done: bool
    passed: bool | None
    started: bool


def item_url(course: Course, item: Mapping[str, Any]) -> str | None:
    key = str(item.get("key"))
    kind = item.get("type")
    if kind == "lesson":
        return reverse("learning:lesson", args=[course.identifier, key])
    if kind == "quiz":
        return reverse("learning:quiz", args=[course.identifier, key])
    # SCORM modules play in the SCORM player, where this installation has one.
    return first_reversing("learning:scorm_play", [course.identifier, key], [str(item.get("package") or "")])


def _row(course: Course, item: Mapping[str, Any], seen: ItemProgress | None, language: str) -> Row:
    passed = seen.passed if seen is not None else None
    done = bool(seen and (seen.passed if item.get("type") == "quiz" else seen.completed_at))
    return Row(
        key=str(item.get("key")),
        type=str(item.get("type")),
        title=shown(item.get("title"), language),
        url=item_url(course, item),
        done=done,
        passed=passed,
        started=seen is not None,
    )


def _rows(enrolment: Enrolment, seen: Mapping[str, ItemProgress]) -> list[Row]:
    course = enrolment.course
    return [
        _row(course, located.item, seen.get(str(located.item.get("key"))), enrolment.language)
        for located in outlines.items(course.outline)
    ]


def resume_at(rows: list[Row], seen: Mapping[str, ItemProgress]) -> Row | None:
    """Where the learner left: the item they last worked on if it is not done, else the next
    one not done after it, else the first not done."""
    open_rows = [row for row in rows if not row.done and row.url]
    if not open_rows:
        return None
    if seen:
        last = max(seen.values(), key=lambda entry: entry.updated_at)
        keys = [row.key for row in rows]
        if last.item_key in keys:
            after = rows[keys.index(last.item_key) :]
            return next((row for row in after if not row.done and row.url), open_rows[0])
    return open_rows[0]


def _progress(enrolment: Enrolment) -> dict[str, ItemProgress]:
    return {row.item_key: row for row in enrolment.progress.all()}


def certificate_url(enrolment: Enrolment) -> str | None:
    """The learner's certificate, when one was issued and the certificates' pages exist."""
    try:
        certificate = enrolment.certificate
    except CourseCertificate.DoesNotExist:
        certificate = None
    if certificate is None or certificate.revoked_at is not None:
        return None
    return first_reversing("learning:certificate", [enrolment.course.identifier])


# --- enrolling ---------------------------------------------------------------------------------


def _published(identifier: str) -> Course:
    course = get_object_or_404(Course, identifier=identifier)
    if not course.live:
        raise Http404
    return course


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def enrol(request: HttpRequest, identifier: str) -> HttpResponse:
    """Enrol in a course: the language of study and, with consent, the facts statistics count.
    The catalogue's button posts here without them (whatever else it sends); the form then
    asks."""
    course = _published(identifier)
    person = signed_in(request)
    current = services.enrolment_of(course, person)
    if current is not None and current.status != EnrolmentStatus.WITHDRAWN:
        return redirect("learning:study", course.identifier)
    # The catalogue's button posts without the form's marker: the form then asks.
    form = EnrolForm(
        request.POST if request.POST.get("step") == "details" else None,
        course=course,
        language=services.language_for(course, _language(request), person.preferred_language),
        profile=services.previous_profile(person),
    )
    if form.is_bound and form.is_valid():
        try:
            services.enrol(course, person, language=form.cleaned_data["language"], profile=form.profile())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("You are enrolled. Welcome to the course."))
            return redirect("learning:study", course.identifier)
    return render(
        request,
        "learning/study/enrol.html",
        {
            "course": course,
            "title": shown(course.title, services.language_for(course, _language(request))),
            "form": form,
            "closed": services.closed_reason(course),
            "withdrawn": current is not None,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation by its e-mailed link: who invites, to what; accepting requires signing in."""
    try:
        invited = services.invitation_from_token(token)
    except ValidationError as error:
        return render(request, "learning/study/invitation.html", {"error": _error_text(error)}, status=404)
    course = invited.course
    context: dict[str, Any] = {
        "invitation": invited,
        "course": course,
        "title": shown(course.title, services.language_for(course, _language(request))),
        "closed": services.closed_reason(course),
    }
    if not request.user.is_authenticated:
        login = reverse("account_login")
        context["login_url"] = f"{login}?next={request.path}"
        return render(request, "learning/study/invitation.html", context)
    person = signed_in(request)
    form = EnrolForm(
        request.POST or None,
        course=course,
        language=services.language_for(course, _language(request), person.preferred_language),
        profile=services.previous_profile(person),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.accept(invited, person, language=form.cleaned_data["language"], profile=form.profile())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("You accepted the invitation and are enrolled."))
            return redirect("learning:study", course.identifier)
    context["form"] = form
    return render(request, "learning/study/invitation.html", context)


# --- studying ----------------------------------------------------------------------------------


def _studying(request: HttpRequest, identifier: str) -> Enrolment:
    """The signed-in person's enrolment in the course; 404 for people who are not enrolled."""
    enrolment = (
        Enrolment.objects.select_related("course", "cohort")
        .filter(course__identifier=identifier, person=signed_in(request))
        .first()
    )
    if enrolment is None:
        raise Http404(_("You are not enrolled in this course."))
    return enrolment


def _not_enrolled(request: HttpRequest, identifier: str) -> HttpResponse:
    messages.info(request, _("Enrol in the course to study it."))
    return redirect("learning:enrol", identifier)


@login_required
@require_safe
def study(request: HttpRequest, identifier: str) -> HttpResponse:
    """The course home: modules and items with their marks, the percentage, where to resume."""
    try:
        enrolment = _studying(request, identifier)
    except Http404:
        return _not_enrolled(request, identifier)
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        messages.info(request, _("You withdrew from this course. Enrol again to go on where you left."))
        return redirect("learning:enrol", identifier)
    course = enrolment.course
    seen = _progress(enrolment)
    rows = _rows(enrolment, seen)
    by_key = {row.key: row for row in rows}
    modules = [
        {
            "title": shown(module.get("title"), enrolment.language),
            "rows": [by_key[str(item.get("key"))] for item in module.get("items") or []],
        }
        for module in outlines.modules(course.outline)
    ]
    return render(
        request,
        "learning/study/home.html",
        {
            "course": course,
            "enrolment": enrolment,
            "title": shown(course.title, enrolment.language),
            "modules": modules,
            "standing": progress.standing(enrolment, seen),
            "resume": resume_at(rows, seen),
            "window": services.window(enrolment),
            "language_form": LanguageForm(initial={"language": enrolment.language}, course=course),
            "certificate_url": certificate_url(enrolment),
        },
    )


def _neighbours(rows: list[Row], key: str) -> tuple[Row | None, Row | None]:
    reachable = [row for row in rows if row.url]
    keys = [row.key for row in reachable]
    if key not in keys:
        return None, None
    index = keys.index(key)
    return (reachable[index - 1] if index else None, reachable[index + 1] if index + 1 < len(keys) else None)


def _item(enrolment: Enrolment, key: str, kind: str) -> Mapping[str, Any]:
    located = outlines.find(enrolment.course.outline, key)
    if located is None or located.item.get("type") != kind:
        raise Http404
    return located.item


@login_required
@require_safe
def lesson(request: HttpRequest, identifier: str, key: str) -> HttpResponse:
    """A lesson: opening it while the course is open to the learner marks it viewed."""
    try:
        enrolment = _studying(request, identifier)
    except Http404:
        return _not_enrolled(request, identifier)
    item = _item(enrolment, key, "lesson")
    now = services.window(enrolment)
    if now.open:
        before = enrolment.status
        progress.record(enrolment, key, completed=True)
        _say_if_completed(request, enrolment, before)
    elif now.opens_on is not None:
        # Before the cohort starts the lessons stay closed; after it ends they can be read.
        messages.info(request, now.reason)
        return redirect("learning:study", identifier)
    language = enrolment.language
    rows = _rows(enrolment, _progress(enrolment))
    previous, following = _neighbours(rows, key)
    located = outlines.find(enrolment.course.outline, key)
    return render(
        request,
        "learning/study/lesson.html",
        {
            "course": enrolment.course,
            "enrolment": enrolment,
            "course_title": shown(enrolment.course.title, language),
            "module_title": shown(located.module.get("title"), language) if located else "",
            "title": shown(item.get("title"), language),
            "body": lesson_html(shown(item.get("body"), language)),
            "video_url": item.get("video_url") or "",
            "transcript": shown(item.get("transcript"), language),
            "files": [
                f
                for f in item.get("files") or []
                if str(f.get("url", "")).startswith(("https://", "http://"))
            ],
            "previous": previous,
            "next": following,
            "window": now,
            "language": language,
        },
    )


def _say_if_completed(request: HttpRequest, enrolment: Enrolment, before: str) -> None:
    """Said once: on the request that completed the course."""
    enrolment.refresh_from_db(fields=["status", "completed_at", "passed", "last_active_at"])
    if before != EnrolmentStatus.COMPLETED and enrolment.status == EnrolmentStatus.COMPLETED:
        messages.success(request, _("You completed the course. Congratulations!"))


def _quiz_facts(enrolment: Enrolment, quiz: Mapping[str, Any]) -> dict[str, Any]:
    key = str(quiz["key"])
    allowed = int(quiz.get("max_attempts") or 0)
    used = quizzes.attempts_used(enrolment, key)
    return {
        "pass_mark": int(quiz.get("pass_mark") or 0),
        "allowed": allowed,
        "used": used,
        "left": max(allowed - used, 0) if allowed else None,
        "closes_at": outlines.closes_at(quiz),
        "questions": int(quiz.get("draw") or 0) or len(quiz.get("questions") or []),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def quiz(request: HttpRequest, identifier: str, key: str) -> HttpResponse:
    """A quiz: its rules, the attempts made, then the questions of the attempt in progress.
    POST ``action=start`` draws the questions; ``action=submit`` hands the answers in."""
    try:
        enrolment = _studying(request, identifier)
    except Http404:
        return _not_enrolled(request, identifier)
    item = _item(enrolment, key, "quiz")
    here = reverse("learning:quiz", args=[identifier, key])
    open_attempt = enrolment.attempts.filter(quiz_key=key, submitted_at__isnull=True).first()
    form = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            services.check_may_study(enrolment)
            if action == "start":
                quizzes.start(enrolment, key)
                return redirect(here)
            if (
                action != "submit"
                or open_attempt is None
                or str(open_attempt.pk) != request.POST.get("attempt")
            ):
                raise ValidationError(
                    _("This attempt is no longer open. Start the quiz again."), code="stale"
                )
            form = QuizForm(request.POST, quiz=item, attempt=open_attempt, language=enrolment.language)
            if form.is_valid():
                before = enrolment.status
                done = quizzes.submit(enrolment, key, form.answers(), attempt=open_attempt)
                _say_if_completed(request, enrolment, before)
                return redirect("learning:attempt", identifier, key, done.number)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect(here)
    if open_attempt is not None and form is None:
        form = QuizForm(quiz=item, attempt=open_attempt, language=enrolment.language)
    rows = _rows(enrolment, _progress(enrolment))
    previous, following = _neighbours(rows, key)
    now = services.window(enrolment)
    return render(
        request,
        "learning/study/quiz.html",
        {
            "course": enrolment.course,
            "enrolment": enrolment,
            "course_title": shown(enrolment.course.title, enrolment.language),
            "title": shown(item.get("title"), enrolment.language),
            "facts": _quiz_facts(enrolment, item),
            "attempts": enrolment.attempts.filter(quiz_key=key, submitted_at__isnull=False).order_by(
                "number"
            ),
            "attempt": open_attempt,
            "form": form,
            "questions": form.questions() if form is not None else [],
            "may_start": now.open and not _closed_for(enrolment, item),
            "closed_for": _closed_for(enrolment, item),
            "window": now,
            "previous": previous,
            "next": following,
        },
    )


def _closed_for(enrolment: Enrolment, quiz: Mapping[str, Any], at: datetime | None = None) -> str:
    """Why the learner cannot (or can no longer) answer the quiz; empty when they can."""
    from django.utils import timezone

    try:
        quizzes.check_open(enrolment, quiz, at or timezone.now())
    except ValidationError as error:
        return _error_text(error)
    return ""


@login_required
@require_safe
def attempt(request: HttpRequest, identifier: str, key: str, number: int) -> HttpResponse:
    """The result of a submitted attempt: score, pass or fail, right or wrong per question with
    the trainer's feedback. The right answers themselves are not shown."""
    try:
        enrolment = _studying(request, identifier)
    except Http404:
        return _not_enrolled(request, identifier)
    item = _item(enrolment, key, "quiz")
    done: QuizAttempt = get_object_or_404(
        enrolment.attempts, quiz_key=key, number=number, submitted_at__isnull=False
    )
    from clearinghouse.learning import grading

    bank = {str(q["key"]): q for q in item.get("questions") or []}
    language = enrolment.language
    results = [
        {
            "number": number,
            "text": shown(bank[question_key].get("text"), language),
            "answered": question_key in done.answers,
            "right": grading.is_right(bank[question_key], done.answers.get(question_key)),
            "feedback": shown(bank[question_key].get("feedback"), language),
        }
        for number, question_key in enumerate(done.questions, start=1)
        if question_key in bank
    ]
    rows = _rows(enrolment, _progress(enrolment))
    _previous, following = _neighbours(rows, key)
    return render(
        request,
        "learning/study/attempt.html",
        {
            "course": enrolment.course,
            "enrolment": enrolment,
            "course_title": shown(enrolment.course.title, language),
            "title": shown(item.get("title"), language),
            "attempt": done,
            "percent": round(float(done.score or 0) * 100),
            "results": results,
            "right": sum(1 for result in results if result["right"]),
            "facts": _quiz_facts(enrolment, item),
            "closed_for": _closed_for(enrolment, item),
            "window": services.window(enrolment),
            "next": following,
        },
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, identifier: str) -> HttpResponse:
    try:
        enrolment = _studying(request, identifier)
        services.withdraw(enrolment)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("learning:study", identifier)
    messages.success(request, _("You withdrew from the course. Your progress is kept should you come back."))
    return redirect("learning:mine")


@login_required
@require_POST
def change_language(request: HttpRequest, identifier: str) -> HttpResponse:
    enrolment = _studying(request, identifier)
    form = LanguageForm(request.POST, course=enrolment.course)
    if form.is_valid():
        services.change_language(enrolment, form.cleaned_data["language"])
        messages.success(request, _("The course now shows in the language you chose."))
    else:
        messages.error(request, _("This course cannot be studied in that language."))
    return redirect("learning:study", identifier)


# --- my learning -------------------------------------------------------------------------------


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The learner's courses in progress and done (with their certificates), and invitations
    waiting for an answer."""
    person = signed_in(request)
    enrolments = list(
        Enrolment.objects.filter(person=person)
        .select_related("course", "cohort", "certificate")
        .prefetch_related("progress")
        .order_by("-last_active_at", "-enrolled_at")
    )
    studying, done, left = [], [], []
    for enrolment in enrolments:
        seen = {row.item_key: row for row in enrolment.progress.all()}
        entry = {
            "enrolment": enrolment,
            "title": shown(enrolment.course.title, enrolment.language),
            "standing": progress.standing(enrolment, seen),
            "url": reverse("learning:study", args=[enrolment.course.identifier]),
            "window": services.window(enrolment),
            "certificate_url": certificate_url(enrolment),
        }
        if enrolment.status == EnrolmentStatus.COMPLETED:
            done.append(entry)
        elif enrolment.status == EnrolmentStatus.WITHDRAWN:
            left.append(entry)
        else:
            studying.append(entry)
    invitations = [
        {
            "invitation": invited,
            "title": shown(invited.course.title, services.language_for(invited.course, _language(request))),
            "url": reverse("learning:invitation", args=[invited.token]),
        }
        for invited in services.pending_invitations(person)
    ]
    return render(
        request,
        "learning/study/mine.html",
        {"studying": studying, "done": done, "left": left, "invitations": invitations},
    )
