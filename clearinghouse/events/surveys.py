"""The evaluation survey of an event: made from a shared template, edited by the organiser until
the first answer, sent to those who attended with their own link, answered once, reminded once,
and read as figures per question.

Anonymous surveys keep who was invited apart from what was answered: the response is not linked
to the registration, it carries the day only (``submitted_on``), and the invitation records only
that it was answered, on that day (midnight in the event's time zone), never the moment.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from clearinghouse.accounts import roles
from clearinghouse.core.languages import CONTENT_LANGUAGES, content_language
from clearinghouse.core.mail import send_templated, site_url
from clearinghouse.core.multilingual import Shown, show
from clearinghouse.events import permissions
from clearinghouse.events.models import (
    Event,
    Registration,
    RegistrationStatus,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyQuestionKind,
    SurveyResponse,
    SurveyTemplate,
)
from clearinghouse.exchange.cells import FORMULA_STARTS
from clearinghouse.exchange.layout import sheet_title

TEMPLATES_FILE = Path(__file__).resolve().parent / "data" / "survey_templates.json"
# A survey opens when the event ends and stays open this long, unless the organiser says otherwise.
OPEN_FOR = timedelta(days=30)
# The reminder goes this long before the survey closes, to those who have not answered ...
REMINDER_BEFORE = timedelta(days=7)
# ... but never sooner than this after the invitation (a short survey gets no hasty reminder).
REMINDER_NOT_BEFORE = timedelta(days=2)
# Public results need this many responses (and this many answers to a question to show it).
PUBLIC_MINIMUM = 5
RATINGS = range(1, 6)
QUESTION_LENGTH = 500
CHOICE_LENGTH = 200
ANSWER_LENGTH = 4000
MOST_CHOICES = 20
KINDS_WITH_CHOICES = (SurveyQuestionKind.CHOICE, SurveyQuestionKind.CHOICES)


class SurveyDataError(Exception):
    """A survey template file that cannot be loaded."""


# --- shared templates -----------------------------------------------------------------------------


def _check_labels(labels: Any, where: str) -> dict[str, str]:
    if not isinstance(labels, dict):
        raise SurveyDataError(f"{where}: expected an object {{language: text}}")
    missing = [code for code in CONTENT_LANGUAGES if not str(labels.get(code, "")).strip()]
    if missing:
        raise SurveyDataError(f"{where}: missing in {', '.join(missing)}")
    return {code: str(labels[code]).strip() for code in CONTENT_LANGUAGES}


def _checked_template(item: Any, number: int) -> tuple[dict[str, str], list[dict[str, Any]]]:
    where = f"template {number}"
    if not isinstance(item, dict) or not isinstance(item.get("questions"), list) or not item["questions"]:
        raise SurveyDataError(f"{where}: expected a name and a list of questions")
    name = _check_labels(item.get("name"), f"{where} name")
    questions: list[dict[str, Any]] = []
    for position, question in enumerate(item["questions"], start=1):
        at = f"{where} ({name['en']}) question {position}"
        if not isinstance(question, dict):
            raise SurveyDataError(f"{at}: expected an object")
        kind = question.get("kind")
        if kind not in SurveyQuestionKind.values:
            raise SurveyDataError(f"{at}: unknown kind {kind!r}")
        choices = question.get("choices") or []
        if kind in KINDS_WITH_CHOICES:
            if not isinstance(choices, list) or len(choices) < 2:
                raise SurveyDataError(f"{at}: give at least two choices")
            choices = [_check_labels(choice, f"{at} choice {n}") for n, choice in enumerate(choices, 1)]
        elif choices:
            raise SurveyDataError(f"{at}: only choice questions have choices")
        questions.append(
            {
                "text": _check_labels(question.get("text"), at),
                "kind": kind,
                "choices": choices,
                "required": bool(question.get("required", False)),
            }
        )
    return name, questions


@dataclass(frozen=True)
class Loaded:
    templates: int
    changed: int


def load_templates(path: Path = TEMPLATES_FILE) -> Loaded:
    """Load the shared survey templates from ``path`` (a list of {name, questions}, every text in
    the six languages). A template is known by its English name: loading again updates it, and
    one that has not changed is left alone. Templates the Secretariat added stay. Atomic."""
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SurveyDataError(f"{path}: {error}") from error
    if not isinstance(items, list):
        raise SurveyDataError(f"{path}: expected a list of templates")
    checked = [_checked_template(item, number) for number, item in enumerate(items, start=1)]
    changed = 0
    with transaction.atomic():
        for name, questions in checked:
            template = SurveyTemplate.objects.filter(name__en=name["en"]).order_by("pk").first()
            if template is None:
                SurveyTemplate.objects.create(name=name, questions=questions)
            elif template.name != name or template.questions != questions:
                template.name, template.questions = name, questions
                template.save(update_fields=["name", "questions"])
            else:
                continue
            changed += 1
    return Loaded(templates=SurveyTemplate.objects.count(), changed=changed)


def save_as_template(survey: Survey, actor: Any) -> SurveyTemplate:
    """The Secretariat shares an event's survey as a template for every organiser, with the
    texts in the languages they are written in. Named after the event."""
    if not roles.is_secretariat(actor):
        raise PermissionDenied
    questions = [
        {"text": q.text, "kind": q.kind, "choices": q.choices, "required": q.required}
        for q in survey.questions.all()
    ]
    if not questions:
        raise ValidationError(_("Add questions to the survey first."), code="empty")
    return SurveyTemplate.objects.create(name=dict(survey.event.title), questions=questions)


def remove_template(template: SurveyTemplate, actor: Any) -> None:
    """The Secretariat withdraws a shared template; surveys made from it keep their questions
    (they were copied)."""
    if not roles.is_secretariat(actor):
        raise PermissionDenied
    template.delete()


# --- the organiser makes the survey ---------------------------------------------------------------


def _require_organiser(actor: Any, event: Event) -> None:
    if not permissions.is_organiser(actor, event):
        raise PermissionDenied


def is_locked(survey: Survey) -> bool:
    """Questions and anonymity are fixed once someone has answered."""
    return survey.responses.exists()


def _require_unlocked(survey: Survey) -> None:
    if is_locked(survey):
        raise ValidationError(
            _("Someone has answered already: the questions can no longer change."), code="locked"
        )


def create_survey(event: Event, template: SurveyTemplate | None, actor: Any) -> Survey:
    """The event's survey, with the template's questions copied (empty without one). Anonymous;
    it opens when the event ends (now if it has no end) and closes 30 days later."""
    _require_organiser(actor, event)
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        if Survey.objects.filter(event=event).exists():
            raise ValidationError(_("This event has its survey already."), code="exists")
        opens = event.ends_at or timezone.now()
        survey = Survey.objects.create(
            event=event, anonymous=True, opens_at=opens, closes_at=opens + OPEN_FOR
        )
        for position, question in enumerate(template.questions if template else []):
            SurveyQuestion.objects.create(
                survey=survey,
                position=position,
                text=dict(question.get("text") or {}),
                kind=question.get("kind") or SurveyQuestionKind.RATING,
                choices=list(question.get("choices") or []),
                required=bool(question.get("required")),
            )
    return survey


def save_settings(
    survey: Survey,
    actor: Any,
    *,
    anonymous: bool,
    opens_at: datetime,
    closes_at: datetime,
    results_public: bool,
) -> Survey:
    """Anonymous or named, when it opens and closes, whether its figures are public. Anonymity
    is fixed at the first answer: the answers given were given under the promise made."""
    _require_organiser(actor, survey.event)
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The survey must close after it opens.")})
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if anonymous != survey.anonymous and is_locked(survey):
            raise ValidationError(
                {
                    "anonymous": _(
                        "Someone has answered already: whether answers are anonymous can no longer change."
                    )
                }
            )
        survey.anonymous, survey.opens_at, survey.closes_at = anonymous, opens_at, closes_at
        survey.results_public = results_public
        survey.save(update_fields=["anonymous", "opens_at", "closes_at", "results_public"])
    return survey


def _clean_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the question.")})
    if len(text) > QUESTION_LENGTH:
        raise ValidationError({"text": _("Write at most %(limit)d characters.") % {"limit": QUESTION_LENGTH}})
    return text


def _clean_choices(
    kind: str, lines: Sequence[str], language: str, existing: Sequence[Mapping[str, str]]
) -> list[dict[str, str]]:
    """The choices, one a line, in ``language``. With as many lines as before, each choice keeps
    its translations in the other languages; otherwise the list starts again in this language."""
    if kind not in KINDS_WITH_CHOICES:
        return []
    labels = [line.strip() for line in lines if line.strip()]
    if len(labels) < 2:
        raise ValidationError({"choices": _("Give at least two choices, one a line.")})
    if len(labels) > MOST_CHOICES:
        raise ValidationError({"choices": _("Give at most %(limit)d choices.") % {"limit": MOST_CHOICES}})
    if len(set(labels)) < len(labels):
        raise ValidationError({"choices": _("Each choice must differ from the others.")})
    if any(len(label) > CHOICE_LENGTH for label in labels):
        raise ValidationError(
            {"choices": _("Write each choice in at most %(limit)d characters.") % {"limit": CHOICE_LENGTH}}
        )
    if len(labels) == len(existing):
        return [dict(old) | {language: label} for old, label in zip(existing, labels, strict=True)]
    return [{language: label} for label in labels]


def add_question(
    survey: Survey,
    actor: Any,
    *,
    language: str,
    text: str,
    kind: str,
    choices: Sequence[str] = (),
    required: bool = False,
) -> SurveyQuestion:
    """A new question at the end, written in ``language`` (a content language)."""
    _require_organiser(actor, survey.event)
    if kind not in SurveyQuestionKind.values:
        raise ValidationError({"kind": _("Choose a kind of question.")})
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        _require_unlocked(survey)
        last = survey.questions.aggregate(last=Max("position"))["last"]
        return SurveyQuestion.objects.create(
            survey=survey,
            position=0 if last is None else last + 1,
            text={language: _clean_text(text)},
            kind=kind,
            choices=_clean_choices(kind, choices, language, []),
            required=required,
        )


def edit_question(
    question: SurveyQuestion,
    actor: Any,
    *,
    language: str,
    text: str,
    kind: str,
    choices: Sequence[str] = (),
    required: bool = False,
) -> SurveyQuestion:
    """Change a question: its text and choices in ``language`` (the other languages keep theirs),
    its kind, whether an answer is required."""
    _require_organiser(actor, question.survey.event)
    if kind not in SurveyQuestionKind.values:
        raise ValidationError({"kind": _("Choose a kind of question.")})
    with transaction.atomic():
        Survey.objects.select_for_update().filter(pk=question.survey_id).first()
        _require_unlocked(question.survey)
        existing = question.choices if question.kind in KINDS_WITH_CHOICES else []
        question.text = dict(question.text) | {language: _clean_text(text)}
        question.choices = _clean_choices(kind, choices, language, existing)
        question.kind, question.required = kind, required
        question.save(update_fields=["text", "choices", "kind", "required"])
    return question


def _renumber(questions: Iterable[SurveyQuestion]) -> None:
    for position, question in enumerate(questions):
        if question.position != position:
            question.position = position
            question.save(update_fields=["position"])


def move_question(question: SurveyQuestion, actor: Any, offset: int) -> None:
    """Move a question up (-1) or down (+1) the list."""
    _require_organiser(actor, question.survey.event)
    with transaction.atomic():
        Survey.objects.select_for_update().filter(pk=question.survey_id).first()
        _require_unlocked(question.survey)
        questions = list(question.survey.questions.all())
        index = next(i for i, item in enumerate(questions) if item.pk == question.pk)
        target = min(max(index + offset, 0), len(questions) - 1)
        questions.insert(target, questions.pop(index))
        _renumber(questions)


def remove_question(question: SurveyQuestion, actor: Any) -> None:
    _require_organiser(actor, question.survey.event)
    with transaction.atomic():
        Survey.objects.select_for_update().filter(pk=question.survey_id).first()
        _require_unlocked(question.survey)
        survey = question.survey
        question.delete()
        _renumber(survey.questions.all())


# --- invitations and the reminder ----------------------------------------------------------------


def recipients(event: Event) -> QuerySet[Registration]:
    """Who is invited: those checked in; when nobody was (an event without check-in), those
    whose registration was confirmed."""
    checked_in = event.registrations.filter(checked_in_at__isnull=False)
    if checked_in.exists():
        return checked_in
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED)


def language_of(registration: Registration) -> str:
    """The language a participant is written to in: their account's, else the one they registered in."""
    person = registration.person
    return (person.preferred_language if person is not None else "") or registration.language or "en"


def _write(invitations: Sequence[SurveyInvitation], template: str) -> None:
    for invitation in invitations:
        registration, survey = invitation.registration, invitation.survey
        event = survey.event

        def built(invitation: SurveyInvitation = invitation, event: Event = event) -> dict[str, Any]:
            return {
                "name": invitation.registration.name,
                "event_title": event_title(event).text,
                "closes": invitation.survey.closes_at,
                "zone": event.zone.key,
                "anonymous": invitation.survey.anonymous,
                "url": site_url(reverse("events:survey_answer", args=[invitation.token])),
            }

        send_templated(
            f"events/email/{template}", built, to=registration.email, language=language_of(registration)
        )


def event_title(event: Event, language: str | None = None) -> Shown:
    return show(event.title or {}, event.original_language, language)


def send_invitations(survey: Survey, actor: Any = None, now: datetime | None = None) -> int:
    """Invite everyone who attended and has no invitation yet, each with their own link, by
    e-mail in their language. Sent by the organiser (the survey then opens at once if it was to
    open later) or by the job when the survey opens (``actor`` None). Nobody is invited twice.
    Returns how many were invited."""
    now = now or timezone.now()
    if actor is not None:
        _require_organiser(actor, survey.event)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().select_related("event").get(pk=survey.pk)
        if survey.closes_at is not None and survey.closes_at <= now:
            raise ValidationError(_("The survey is closed: nobody can be invited any more."), code="closed")
        if not survey.questions.exists():
            raise ValidationError(_("Add questions to the survey first."), code="empty")
        if survey.opens_at is None or survey.opens_at > now:
            if actor is None:
                return 0
            survey.opens_at = now
        invited = set(survey.invitations.values_list("registration_id", flat=True))
        new = [
            SurveyInvitation.objects.create(survey=survey, registration=registration)
            for registration in recipients(survey.event).select_related("person").order_by("pk")
            if registration.pk not in invited
        ]
        survey.invited_at = survey.invited_at or now
        survey.save(update_fields=["opens_at", "invited_at"])
        transaction.on_commit(lambda: _write(new, "survey_invitation"))
    return len(new)


def send_reminder(survey: Survey, now: datetime | None = None) -> int:
    """Remind, once, those invited who have not answered. Returns how many were reminded."""
    now = now or timezone.now()
    with transaction.atomic():
        survey = Survey.objects.select_for_update().select_related("event").get(pk=survey.pk)
        if survey.reminded_at is not None or survey.invited_at is None or not survey.is_open(now):
            return 0
        waiting = list(
            survey.invitations.filter(answered_at__isnull=True).select_related(
                "registration__person", "survey__event"
            )
        )
        survey.reminded_at = now
        survey.save(update_fields=["reminded_at"])
        transaction.on_commit(lambda: _write(waiting, "survey_reminder"))
    return len(waiting)


def send_due(now: datetime | None = None) -> tuple[int, int]:
    """The job's work: invitations of surveys that have opened, reminders of those closing soon.
    Returns (invited, reminded)."""
    now = now or timezone.now()
    opened = Survey.objects.filter(invited_at__isnull=True, opens_at__lte=now).filter(
        Q(closes_at__isnull=True) | Q(closes_at__gt=now)
    )
    invited = 0
    for survey in opened.exclude(questions__isnull=True).distinct():
        invited += send_invitations(survey, now=now)
    closing = Survey.objects.filter(
        reminded_at__isnull=True,
        invited_at__lte=now - REMINDER_NOT_BEFORE,
        opens_at__lte=now,
        closes_at__gt=now,
        closes_at__lte=now + REMINDER_BEFORE,
    )
    reminded = sum(send_reminder(survey, now=now) for survey in closing)
    return invited, reminded


# --- answering -----------------------------------------------------------------------------------


def state(survey: Survey, now: datetime | None = None) -> str:
    """ "open", "closed" or "waiting" (not open yet)."""
    now = now or timezone.now()
    if survey.is_open(now):
        return "open"
    return "closed" if survey.closes_at is not None and survey.closes_at <= now else "waiting"


def _day(moment: datetime, event: Event) -> str:
    return formats.date_format(timezone.localtime(moment, event.zone), "DATE_FORMAT")


def invitation_for(token: str) -> SurveyInvitation | None:
    return (
        SurveyInvitation.objects.select_related("survey__event", "registration").filter(token=token).first()
        if token
        else None
    )


def refusal(invitation: SurveyInvitation, now: datetime | None = None) -> str:
    """Why this invitation cannot be answered now, in the active language; empty when it can."""
    now = now or timezone.now()
    survey, event = invitation.survey, invitation.survey.event
    if invitation.answered_at is not None:
        return _("You answered this survey on %(date)s. Thank you.") % {
            "date": _day(invitation.answered_at, event)
        }
    if survey.opens_at is None or survey.opens_at > now:
        if survey.opens_at is None:
            return _("This survey is not open yet.")
        return _("This survey opens on %(date)s.") % {"date": _day(survey.opens_at, event)}
    if survey.closes_at is not None and survey.closes_at <= now:
        return _("This survey closed on %(date)s.") % {"date": _day(survey.closes_at, event)}
    return ""


@dataclass(frozen=True)
class ShownQuestion:
    """A question as a respondent reads it: in their language, else in the original."""

    question: SurveyQuestion
    text: Shown
    choices: list[tuple[int, Shown]]

    @property
    def field(self) -> str:
        return f"q{self.question.pk}"


def shown_questions(survey: Survey, language: str | None = None) -> list[ShownQuestion]:
    original = survey.event.original_language or "en"
    return [
        ShownQuestion(
            question,
            show(question.text, original, language),
            [(index, show(choice, original, language)) for index, choice in enumerate(question.choices)],
        )
        for question in survey.questions.all()
    ]


def _index(value: str, size: int) -> int | None:
    return int(value) if value.isdigit() and int(value) < size else None


def _answers(question: SurveyQuestion, values: list[str]) -> list[SurveyAnswer]:
    """The answers to one question from the submitted values, or a ValidationError."""
    kind = question.kind
    if not values:
        if question.required:
            raise ValidationError(_("An answer is required."), code="required")
        return []
    if kind == SurveyQuestionKind.RATING:
        rating = int(values[0]) if len(values) == 1 and values[0].isdigit() else 0
        if rating not in RATINGS:
            raise ValidationError(_("Choose a rating from 1 to 5."), code="rating")
        return [SurveyAnswer(question=question, number=rating)]
    if kind in KINDS_WITH_CHOICES:
        indexes = [_index(value, len(question.choices)) for value in values]
        if (
            None in indexes
            or len(set(indexes)) < len(indexes)
            or (kind == SurveyQuestionKind.CHOICE and len(indexes) > 1)
        ):
            raise ValidationError(_("Choose among the answers given."), code="choice")
        return [
            SurveyAnswer(question=question, number=index)
            for index in sorted(i for i in indexes if i is not None)
        ]
    if kind == SurveyQuestionKind.YES_NO:
        if values not in (["yes"], ["no"]):
            raise ValidationError(_("Answer yes or no."), code="yes_no")
        return [SurveyAnswer(question=question, number=1 if values == ["yes"] else 0)]
    text = "\n".join(values)
    if len(text) > ANSWER_LENGTH:
        raise ValidationError(
            _("Write at most %(limit)d characters.") % {"limit": ANSWER_LENGTH}, code="length"
        )
    return [SurveyAnswer(question=question, text=text)]


def submit(
    token: str, data: Mapping[str, Sequence[str]], language: str, now: datetime | None = None
) -> SurveyResponse:
    """Record the answers given with an invitation's link: ``data`` maps each question's field
    (``q<id>``) to the values given. Every answer is checked first; on any error nothing is saved
    and the ValidationError names the fields. Once only; while the survey is open."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            SurveyInvitation.objects.select_for_update()
            .select_related("survey__event", "registration")
            .filter(token=token)
            .first()
            if token
            else None
        )
        if invitation is None:
            raise ValidationError(
                _("This link is not valid: use the one in the e-mail you received."), code="token"
            )
        refused = refusal(invitation, now)
        if refused:
            raise ValidationError(refused, code="refused")
        survey = invitation.survey
        answers: list[SurveyAnswer] = []
        errors: dict[str, ValidationError] = {}
        for question in survey.questions.all():
            values = [str(value).strip() for value in data.get(f"q{question.pk}", ()) if str(value).strip()]
            try:
                answers.extend(_answers(question, values))
            except ValidationError as error:
                errors[f"q{question.pk}"] = error
        if errors:
            raise ValidationError(errors)
        zone = survey.event.zone
        day = timezone.localtime(now, zone).date()
        response = SurveyResponse.objects.create(
            survey=survey,
            registration=None if survey.anonymous else invitation.registration,
            language=content_language(language),
            submitted_on=day,
        )
        for answer in answers:
            answer.response = response
        SurveyAnswer.objects.bulk_create(answers)
        # Anonymous: the day only, so the invitation's time cannot be matched to a response.
        invitation.answered_at = datetime.combine(day, time.min, tzinfo=zone) if survey.anonymous else now
        invitation.save(update_fields=["answered_at"])
    return response


def open_invitation(user: Any, event: Event, now: datetime | None = None) -> SurveyInvitation | None:
    """The person's invitation to the event's survey, while they may answer it."""
    if not getattr(user, "is_authenticated", False):
        return None
    invitation = (
        SurveyInvitation.objects.select_related("survey__event")
        .filter(survey__event=event, registration__person=user, answered_at__isnull=True)
        .first()
    )
    return invitation if invitation is not None and invitation.survey.is_open(now) else None


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    # Of those who answered the question (several choices may add up to more than 100).
    percent: float

    @property
    def rtl_start(self) -> float:
        """Where the bar starts in a chart drawn from the right."""
        return max(0.0, 100 - self.percent)


@dataclass
class QuestionResult:
    position: int
    question: SurveyQuestion
    text: Shown
    answered: int
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)
    # Public results hide a question answered by fewer than PUBLIC_MINIMUM people.
    too_few: bool = False


@dataclass
class Results:
    survey: Survey
    invited: int
    responses: int
    questions: list[QuestionResult]
    # True for the organiser's view: free text shown, no threshold.
    full: bool
    too_few: bool

    @property
    def rate(self) -> float | None:
        """Responses as a share of invitations, in per cent."""
        return 100 * self.responses / self.invited if self.invited else None


def _percent(count: int, of: int) -> float:
    return 100 * count / of if of else 0.0


def may_see_results(user: Any, survey: Survey) -> bool:
    return survey.results_public or permissions.is_organiser(user, survey.event)


def results(survey: Survey, *, full: bool, language: str | None = None) -> Results:
    """The figures per question: counts and shares per choice, ratings' mean and distribution,
    yes/no shares, the free text (``full`` only). Without ``full`` (the public view), nothing is
    shown below PUBLIC_MINIMUM responses, nor any question answered by fewer."""
    responses = survey.responses.count()
    invited = survey.invitations.count()
    original = survey.event.original_language or "en"
    answers: dict[int, list[SurveyAnswer]] = {}
    for answer in SurveyAnswer.objects.filter(response__survey=survey).order_by("pk"):
        answers.setdefault(answer.question_id, []).append(answer)
    yes, no = pgettext("survey answer", "Yes"), pgettext("survey answer", "No")
    shown: list[QuestionResult] = []
    for position, question in enumerate(survey.questions.all(), start=1):
        given = answers.get(question.pk, [])
        answered = len({answer.response_id for answer in given})
        result = QuestionResult(position, question, show(question.text, original, language), answered)
        numbers = [answer.number for answer in given if answer.number is not None]
        if question.kind == SurveyQuestionKind.RATING:
            result.bars = [
                Bar(str(n), numbers.count(n), _percent(numbers.count(n), answered)) for n in RATINGS
            ]
            result.mean = sum(numbers) / len(numbers) if numbers else None
        elif question.kind in KINDS_WITH_CHOICES:
            result.bars = [
                Bar(
                    show(choice, original, language).text,
                    numbers.count(i),
                    _percent(numbers.count(i), answered),
                )
                for i, choice in enumerate(question.choices)
            ]
        elif question.kind == SurveyQuestionKind.YES_NO:
            result.bars = [
                Bar(yes, numbers.count(1), _percent(numbers.count(1), answered)),
                Bar(no, numbers.count(0), _percent(numbers.count(0), answered)),
            ]
        elif full:
            result.texts = [answer.text for answer in given if answer.text]
        if not full and answered < PUBLIC_MINIMUM:
            result.too_few, result.bars, result.mean = True, [], None
        shown.append(result)
    too_few = not full and responses < PUBLIC_MINIMUM
    return Results(survey, invited, responses, [] if too_few else shown, full, too_few)


# --- export --------------------------------------------------------------------------------------

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _rows(figures: Results) -> list[list[Any]]:
    kinds = dict(SurveyQuestionKind.choices)
    rows: list[list[Any]] = [
        [_("Question number"), _("Question"), _("Kind"), _("Answer"), _("Count"), _("Per cent"), _("Mean")],
        ["", _("Invited"), "", "", figures.invited, "", ""],
        [
            "",
            _("Responses"),
            "",
            "",
            figures.responses,
            round(figures.rate, 1) if figures.rate is not None else "",
            "",
        ],
    ]
    for result in figures.questions:
        head = [result.position, result.text.text, str(kinds.get(result.question.kind, result.question.kind))]
        mean = round(result.mean, 2) if result.mean is not None else ""
        rows.append([*head, _("Answered"), result.answered, "", mean])
        rows.extend([*head, bar.label, bar.count, round(bar.percent, 1), ""] for bar in result.bars)
        rows.extend([*head, text, "", "", ""] for text in result.texts)
    return rows


def _cell(value: Any) -> Any:
    """A text a spreadsheet will not run as a formula."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def export(figures: Results, format_name: str) -> bytes:
    """The results as CSV or a workbook (headings in the active language; an Arabic workbook reads
    right to left): one row per answer of each question, the free text in the organiser's export."""
    rows = [[_cell(value) for value in row] for row in _rows(figures)]
    if format_name == "csv":
        text = io.StringIO()
        csv.writer(text).writerows(rows)
        # With a byte-order mark Excel opens UTF-8 (Arabic, Chinese, Russian) correctly.
        return ("\ufeff" + text.getvalue()).encode("utf-8")
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = sheet_title(_("Results"))
    sheet.sheet_view.rightToLeft = content_language() == "ar"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
