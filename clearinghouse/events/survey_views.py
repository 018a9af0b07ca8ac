"""Pages of an event's evaluation survey: the organiser's (make, edit, invite), the respondent's
(answer with their own link, no account needed), and the results (organisers; everyone once the
organiser makes the figures public)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts import roles
from clearinghouse.core.languages import content_language
from clearinghouse.core.multilingual import show
from clearinghouse.events import permissions, surveys
from clearinghouse.events.models import Event, Survey, SurveyQuestion, SurveyQuestionKind, SurveyTemplate

# What a datetime-local field shows and sends (read in the event's time zone).
_LOCAL_TIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SettingsForm(forms.Form):
    anonymous = forms.BooleanField(
        label=gettext_lazy("Answers are anonymous"),
        required=False,
        help_text=gettext_lazy("Nobody, not even the organisers, can tell who gave which answers."),
    )
    opens_at = forms.DateTimeField(label=gettext_lazy("Opens"), widget=_LOCAL_TIME)
    closes_at = forms.DateTimeField(label=gettext_lazy("Closes"), widget=_LOCAL_TIME)
    results_public = forms.BooleanField(
        label=gettext_lazy("Show the figures to everyone"),
        required=False,
        help_text=gettext_lazy("Only totals, never the written answers, and only from five responses."),
    )


class QuestionForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Question"), max_length=surveys.QUESTION_LENGTH)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=SurveyQuestionKind.choices)
    choices = forms.CharField(
        label=gettext_lazy("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("For one choice or several choices: one a line."),
    )
    required = forms.BooleanField(label=gettext_lazy("An answer is required"), required=False)


def _event(identifier: str) -> Event:
    return get_object_or_404(Event, identifier=identifier)


def _organised(request: HttpRequest, identifier: str) -> Event:
    event = _event(identifier)
    if not permissions.is_organiser(request.user, event):
        raise PermissionDenied
    return event


def _survey(event: Event) -> Survey:
    survey = Survey.objects.filter(event=event).select_related("event").first()
    if survey is None:
        raise Http404
    return survey


def _question(survey: Survey, pk: int) -> SurveyQuestion:
    return get_object_or_404(SurveyQuestion.objects.select_related("survey__event"), pk=pk, survey=survey)


def _show_error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _question_form(question: SurveyQuestion, language: str) -> QuestionForm:
    """The question in the organiser's language; where it has no text in it yet, the original's,
    to translate."""
    original = question.survey.event.original_language or "en"

    def text(labels: dict[str, str]) -> str:
        return labels.get(language) or show(labels, original).text

    initial = {
        "text": text(question.text),
        "kind": question.kind,
        "choices": "\n".join(text(choice) for choice in question.choices),
        "required": question.required,
    }
    return QuestionForm(initial=initial, prefix=f"q{question.pk}")


def _manage_context(request: HttpRequest, event: Event, **given: Any) -> dict[str, Any]:
    survey = Survey.objects.filter(event=event).first()
    context: dict[str, Any] = {"event": event, "survey": survey, "title": surveys.event_title(event)}
    if survey is None:
        context["templates"] = [
            (template, show(template.name, "en")) for template in SurveyTemplate.objects.all()
        ]
        return context
    language = content_language()
    zone = event.zone
    with timezone.override(zone):
        settings_form = given.get("settings_form") or SettingsForm(
            initial={
                "anonymous": survey.anonymous,
                "opens_at": timezone.localtime(survey.opens_at, zone) if survey.opens_at else None,
                "closes_at": timezone.localtime(survey.closes_at, zone) if survey.closes_at else None,
                "results_public": survey.results_public,
            }
        )
    figures = surveys.results(survey, full=True)
    context |= {
        "locked": surveys.is_locked(survey),
        "settings_form": settings_form,
        "question_form": given.get("question_form") or QuestionForm(prefix="new"),
        "questions": [
            (shown, given.get(f"form_{shown.question.pk}") or _question_form(shown.question, language))
            for shown in surveys.shown_questions(survey)
        ],
        "figures": figures,
        "not_invited": surveys.recipients(event).exclude(survey_invitations__survey=survey).count(),
        "state": surveys.state(survey),
        "zone": event.time_zone or "UTC",
        "may_share": roles.is_secretariat(request.user),
        "editing_language": show({language: language}, language).language_name,
    }
    return context


@login_required
@require_safe
def survey_manage(request: HttpRequest, identifier: str) -> HttpResponse:
    """The organiser's page: make the survey from a template, edit it, invite, see its state."""
    event = _organised(request, identifier)
    return render(request, "events/survey/manage.html", _manage_context(request, event))


@login_required
@require_POST
def survey_create(request: HttpRequest, identifier: str) -> HttpResponse:
    event = _organised(request, identifier)
    chosen = request.POST.get("template", "")
    template = SurveyTemplate.objects.filter(pk=chosen).first() if chosen.isdigit() else None
    if chosen and template is None:
        messages.error(request, _("Choose one of the templates."))
        return redirect("events:survey", identifier)
    try:
        surveys.create_survey(event, template, request.user)
    except ValidationError as error:
        _show_error(request, error)
    else:
        messages.success(request, _("The survey is ready: check its questions and dates."))
    return redirect("events:survey", identifier)


@login_required
@require_POST
def survey_settings(request: HttpRequest, identifier: str) -> HttpResponse:
    event = _organised(request, identifier)
    survey = _survey(event)
    with timezone.override(event.zone):
        form = SettingsForm(request.POST)
        valid = form.is_valid()
    if valid:
        try:
            surveys.save_settings(survey, request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("events:survey", identifier)
    context = _manage_context(request, event, settings_form=form)
    return render(request, "events/survey/manage.html", context, status=400)


def _saved_question(request: HttpRequest, form: QuestionForm, save: Callable[..., Any], done: str) -> bool:
    """Save a question form through ``save`` (adding or editing) in the page's language; the
    service's problems go onto the form."""
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        save(
            request.user,
            language=content_language(),
            text=data["text"],
            kind=data["kind"],
            choices=_lines(form),
            required=data["required"],
        )
    except ValidationError as error:
        _add_errors(form, error)
        return False
    messages.success(request, done)
    return True


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _lines(form: QuestionForm) -> list[str]:
    return str(form.cleaned_data.get("choices") or "").splitlines()


@login_required
@require_POST
def survey_question_add(request: HttpRequest, identifier: str) -> HttpResponse:
    event = _organised(request, identifier)
    survey = _survey(event)
    form = QuestionForm(request.POST, prefix="new")
    if _saved_question(request, form, partial(surveys.add_question, survey), _("Question added.")):
        return redirect("events:survey", identifier)
    return render(
        request, "events/survey/manage.html", _manage_context(request, event, question_form=form), status=400
    )


@login_required
@require_POST
def survey_question_edit(request: HttpRequest, identifier: str, pk: int) -> HttpResponse:
    event = _organised(request, identifier)
    question = _question(_survey(event), pk)
    form = QuestionForm(request.POST, prefix=f"q{question.pk}")
    if _saved_question(request, form, partial(surveys.edit_question, question), _("Question saved.")):
        return redirect("events:survey", identifier)
    context = _manage_context(request, event, **{f"form_{question.pk}": form})
    return render(request, "events/survey/manage.html", context, status=400)


@login_required
@require_POST
def survey_question_move(request: HttpRequest, identifier: str, pk: int) -> HttpResponse:
    event = _organised(request, identifier)
    question = _question(_survey(event), pk)
    try:
        surveys.move_question(question, request.user, -1 if request.POST.get("direction") == "up" else 1)
    except ValidationError as error:
        _show_error(request, error)
    return redirect("events:survey", identifier)


@login_required
@require_POST
def survey_question_remove(request: HttpRequest, identifier: str, pk: int) -> HttpResponse:
    event = _organised(request, identifier)
    question = _question(_survey(event), pk)
    try:
        surveys.remove_question(question, request.user)
    except ValidationError as error:
        _show_error(request, error)
    else:
        messages.success(request, _("Question removed."))
    return redirect("events:survey", identifier)


@login_required
@require_POST
def survey_invite(request: HttpRequest, identifier: str) -> HttpResponse:
    event = _organised(request, identifier)
    try:
        count = surveys.send_invitations(_survey(event), request.user)
    except ValidationError as error:
        _show_error(request, error)
    else:
        messages.success(
            request,
            _("Nobody new to invite.") if not count else _("Invitations sent: %(count)d.") % {"count": count},
        )
    return redirect("events:survey", identifier)


@login_required
@require_POST
def survey_share(request: HttpRequest, identifier: str) -> HttpResponse:
    """The Secretariat shares this survey's questions as a template for every organiser."""
    event = _organised(request, identifier)
    try:
        surveys.save_as_template(_survey(event), request.user)
    except ValidationError as error:
        _show_error(request, error)
    else:
        messages.success(request, _("Shared as a template: organisers can now start from it."))
    return redirect("events:survey", identifier)


def _secretariat(request: HttpRequest) -> None:
    if not roles.is_secretariat(request.user):
        raise PermissionDenied


@login_required
@require_safe
def survey_templates(request: HttpRequest) -> HttpResponse:
    """The Secretariat's list of the shared templates, each with its questions."""
    _secretariat(request)
    kinds = dict(SurveyQuestionKind.choices)
    templates = [
        {
            "template": template,
            "name": show(template.name, "en"),
            "questions": [
                (show(question.get("text") or {}, "en"), kinds.get(question.get("kind", ""), ""))
                for question in template.questions
            ],
        }
        for template in SurveyTemplate.objects.all()
    ]
    return render(request, "events/survey/templates.html", {"templates": templates})


@login_required
@require_POST
def survey_template_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _secretariat(request)
    surveys.remove_template(get_object_or_404(SurveyTemplate, pk=pk), request.user)
    messages.success(request, _("Template removed. Surveys made from it keep their questions."))
    return redirect("events:survey_templates")


def _values(request: HttpRequest) -> dict[str, list[str]]:
    return {key: request.POST.getlist(key) for key in request.POST if key.startswith("q")}


@require_http_methods(["GET", "HEAD", "POST"])
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The survey as one invited person answers it, through their own link (no account needed)."""
    invitation = surveys.invitation_for(token)
    if invitation is None:
        return render(
            request,
            "events/survey/answer.html",
            {"refusal": _("This link is not valid: use the one in the e-mail you received.")},
            status=404,
        )
    survey = invitation.survey
    context: dict[str, Any] = {
        "invitation": invitation,
        "survey": survey,
        "event": survey.event,
        "title": surveys.event_title(survey.event),
        "refusal": surveys.refusal(invitation),
        "given": {},
        "errors": {},
    }
    status = 200
    if request.method == "POST" and not context["refusal"]:
        try:
            surveys.submit(token, _values(request), content_language())
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                context["errors"] = {
                    name: " ".join(messages_) for name, messages_ in error.message_dict.items()
                }
                context["given"] = _values(request)
            else:
                context["refusal"] = " ".join(error.messages)
            status = 400
        else:
            return render(request, "events/survey/thanks.html", context)
    elif request.method == "POST":
        status = 409
    context["questions"] = [
        (shown, context["errors"].get(shown.field, ""), context["given"].get(shown.field, []))
        for shown in surveys.shown_questions(survey)
    ]
    return render(request, "events/survey/answer.html", context, status=status)


@require_safe
def survey_results(request: HttpRequest, identifier: str) -> HttpResponse:
    event = _event(identifier)
    survey = _survey(event)
    full = permissions.is_organiser(request.user, event)
    if not full and not (survey.results_public and event.live):
        raise Http404
    figures = surveys.results(survey, full=full)
    return render(
        request,
        "events/survey/results.html",
        {
            "event": event,
            "survey": survey,
            "title": surveys.event_title(event),
            "figures": figures,
            "minimum": surveys.PUBLIC_MINIMUM,
        },
    )


@login_required
@require_safe
def survey_export(request: HttpRequest, identifier: str, format_name: str) -> HttpResponse:
    """The organiser's export of the results (CSV or a workbook), free text included."""
    event = _organised(request, identifier)
    if format_name not in surveys.EXPORT_FORMATS:
        raise Http404
    content = surveys.export(surveys.results(_survey(event), full=True), format_name)
    response = HttpResponse(content, content_type=surveys.EXPORT_FORMATS[format_name])
    response["Content-Disposition"] = f'attachment; filename="{event.identifier}-survey.{format_name}"'
    return response


urlpatterns = [
    # Before survey/<token>/: "templates" is not a token.
    path("survey/templates/", survey_templates, name="survey_templates"),
    path("survey/templates/<int:pk>/remove", survey_template_remove, name="survey_template_remove"),
    path("survey/<str:token>/", survey_answer, name="survey_answer"),
    path("<str:identifier>/survey/", survey_manage, name="survey"),
    path("<str:identifier>/survey/create", survey_create, name="survey_create"),
    path("<str:identifier>/survey/settings", survey_settings, name="survey_settings"),
    path("<str:identifier>/survey/questions/add", survey_question_add, name="survey_question_add"),
    path("<str:identifier>/survey/questions/<int:pk>", survey_question_edit, name="survey_question_edit"),
    path(
        "<str:identifier>/survey/questions/<int:pk>/move", survey_question_move, name="survey_question_move"
    ),
    path(
        "<str:identifier>/survey/questions/<int:pk>/remove",
        survey_question_remove,
        name="survey_question_remove",
    ),
    path("<str:identifier>/survey/invite", survey_invite, name="survey_invite"),
    path("<str:identifier>/survey/share", survey_share, name="survey_share"),
    path("<str:identifier>/survey/results/", survey_results, name="survey_results"),
    path("<str:identifier>/survey/results.<str:format_name>", survey_export, name="survey_export"),
]
