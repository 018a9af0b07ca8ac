from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Prefetch
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.languages import LANGUAGE_CHOICES, content_language
from clearinghouse.plan import contributions, services
from clearinghouse.plan.filtersets import ActivityFilter
from clearinghouse.plan.forms import EvidenceForm, InterestForm, ProgressForm, ReportForm, TranslationForm
from clearinghouse.plan.models import (
    ORIGINAL_LANGUAGE,
    PROGRESS_ORDER,
    Activity,
    ActivityProgress,
    Contribution,
    ContributionState,
    Section,
)
from clearinghouse.vocabularies.models import Term


@dataclass
class ThemeGroup:
    """The activities under one heading of the annex (section B), or a whole section (A, C, D)."""

    heading: str
    texts: dict[str, str]
    aichi_targets: list[Term]
    activities: list[Activity] = field(default_factory=list)


@dataclass
class SectionGroup:
    code: str
    title: str | Promise
    themes: list[ThemeGroup] = field(default_factory=list)


def _ordered_terms() -> Any:
    return Term.objects.order_by("position", "code")


def _by_section(activities: list[Activity]) -> list[SectionGroup]:
    sections: list[SectionGroup] = []
    for activity in activities:
        if not sections or sections[-1].code != activity.section:
            sections.append(SectionGroup(activity.section, Section(activity.section).label))
        themes = sections[-1].themes
        if not themes or themes[-1].heading != activity.theme:
            targets = list(activity.aichi_targets.all()) if activity.theme else []
            themes.append(ThemeGroup(activity.theme, activity.theme_texts, targets))
        themes[-1].activities.append(activity)
    return sections


# ?original=ar shows the plan's texts in Arabic, the original, to readers of any language.
ORIGINAL_PARAMETER = "original"


def _translation_context(request: HttpRequest, translated: bool) -> dict[str, Any]:
    """Whether the page shows unofficial translations, and the links between them and the Arabic."""
    show_original = request.GET.get(ORIGINAL_PARAMETER) == ORIGINAL_LANGUAGE
    original, translation = request.GET.copy(), request.GET.copy()
    original[ORIGINAL_PARAMETER] = ORIGINAL_LANGUAGE
    translation.pop(ORIGINAL_PARAMETER, None)
    return {
        "show_original": show_original,
        "translated": translated and content_language() != ORIGINAL_LANGUAGE,
        "original_url": f"?{original.urlencode()}",
        "translation_url": f"?{translation.urlencode()}" if translation else request.path,
    }


def _is_translated(activity: Activity) -> bool:
    return content_language() in activity.text_translations


@require_safe
def plan_index(request: HttpRequest) -> HttpResponse:
    activities = Activity.objects.with_current_status().prefetch_related(
        Prefetch("aichi_targets", queryset=_ordered_terms())
    )
    filters = ActivityFilter(request.GET or None, queryset=activities)
    found = list(filters.qs.order_by("number"))
    context = {
        "filters": filters,
        "sections": _by_section(found),
        "count": len(found),
        "may_contribute": bool(
            request.user.is_authenticated and contributions.organisations_for(signed_in(request))
        ),
        "may_review": contributions.may_review(signed_in(request))
        if request.user.is_authenticated
        else False,
        **_translation_context(request, any(map(_is_translated, found))),
    }
    return render(request, "plan/index.html", context)


def _activity(number: int) -> Activity:
    queryset = Activity.objects.with_current_status().prefetch_related(
        "outputs",
        "indicators",
        "partners",
        Prefetch(
            "aichi_targets", queryset=_ordered_terms().prefetch_related(Prefetch("maps_to", _ordered_terms()))
        ),
        Prefetch(
            "progress",
            queryset=ActivityProgress.objects.select_related("lead", "recorded_by").order_by(*PROGRESS_ORDER),
        ),
        "evidence",
    )
    return get_object_or_404(queryset, number=number)


def _detail(
    request: HttpRequest,
    activity: Activity,
    progress_form: Form | None = None,
    evidence_form: Form | None = None,
    interest_form: Form | None = None,
    report_form: Form | None = None,
) -> HttpResponse:
    can_record = request.user.has_perm(services.PERMISSION)
    organisations = (
        contributions.organisations_for(signed_in(request)) if request.user.is_authenticated else []
    )
    shown = Contribution.objects.filter(activity=activity).select_related("organisation")
    own = models.Q(
        organisation__in=organisations, state__in=[ContributionState.WAITING, ContributionState.DECLINED]
    )
    context = {
        "activity": activity,
        "contributions": list(
            shown.filter(models.Q(state=ContributionState.ACCEPTED) | own).prefetch_related("countries")
        ),
        "organisations": organisations,
        "interest_form": interest_form
        or (InterestForm(organisations=organisations) if organisations else None),
        "report_form": report_form or (ReportForm(organisations=organisations) if organisations else None),
        "can_record": can_record,
        "progress_form": progress_form or (ProgressForm() if can_record else None),
        "evidence_form": evidence_form or (EvidenceForm() if can_record else None),
        "translation_languages": [
            (code, label) for code, label in LANGUAGE_CHOICES if code in services.TRANSLATION_LANGUAGES
        ],
        **_translation_context(request, _is_translated(activity)),
    }
    return render(request, "plan/detail.html", context)


@require_safe
def activity_detail(request: HttpRequest, number: int) -> HttpResponse:
    return _detail(request, _activity(number))


def activity_url(activity: Activity) -> str:
    return reverse("plan:detail", args=[activity.number])


def _may_record(request: HttpRequest) -> None:
    if not request.user.has_perm(services.PERMISSION):
        raise PermissionDenied


@login_required
@require_POST
def record_progress(request: HttpRequest, number: int) -> HttpResponse:
    _may_record(request)
    activity = _activity(number)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.record_progress(
                signed_in(request),
                activity,
                period=form.cleaned_data["period"],
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                note_language=form.cleaned_data["note_language"],
                lead=form.cleaned_data["lead"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The progress report has been recorded."))
            return redirect(f"{activity_url(activity)}#progress")
    return _detail(request, activity, progress_form=form)


@login_required
@require_POST
def add_evidence(request: HttpRequest, number: int) -> HttpResponse:
    _may_record(request)
    activity = _activity(number)
    form = EvidenceForm(request.POST)
    if form.is_valid():
        try:
            services.add_evidence(signed_in(request), activity, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The evidence has been added."))
            return redirect(f"{activity_url(activity)}#evidence")
    return _detail(request, activity, evidence_form=form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def translate(request: HttpRequest, number: int, language: str) -> HttpResponse:
    _may_record(request)
    if language not in services.TRANSLATION_LANGUAGES:
        raise Http404
    activity = get_object_or_404(Activity, number=number)
    form = TranslationForm(request.POST or None, activity=activity, language=language)
    if request.method == "POST" and form.is_valid():
        services.translate_activity(
            signed_in(request),
            activity,
            language,
            text=form.cleaned_data["text"],
            theme=form.cleaned_data.get("theme", ""),
            partners=form.cleaned_data.get("partners", ""),
            outputs=form.items("output"),
            indicators=form.items("indicator"),
        )
        messages.success(request, _("The translation has been saved."))
        return redirect(activity_url(activity))
    language_name = dict(LANGUAGE_CHOICES)[language]
    context = {"activity": activity, "form": form, "language": language, "language_name": language_name}
    return render(request, "plan/translate.html", context)
