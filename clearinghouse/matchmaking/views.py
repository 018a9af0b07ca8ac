"""Pages of matchmaking: the help desk's console and cases, everyone's own matches, a match with
its history, the cooperation it became. Views parse and render; services.py decides."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.forms import add_service_errors
from clearinghouse.core.redirects import back_to
from clearinghouse.matchmaking import forms, ranking, services, sides
from clearinghouse.matchmaking.models import (
    ACTIVE_STATES,
    FINAL_STATES,
    LIVE_STATES,
    Case,
    Cooperation,
    Match,
    MatchState,
    Response,
)
from clearinghouse.needs.models import Need, Request
from clearinghouse.publishing import access, documents, registry, snapshots

PAGE_SIZE = 20


def _coordinator(request: HttpRequest) -> None:
    if not sides.is_coordinator(request.user):
        raise PermissionDenied(_("The console is for the help desk."))


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _with_support(matches: Iterable[Match]) -> list[Match]:
    """Fetch the matches' support records in one query per record type."""
    matches = list(matches)
    wanted: dict[Any, set[int]] = defaultdict(set)
    for match in matches:
        wanted[match.support_type].add(match.support_id)
    found = {
        (content_type.pk, record.pk): record
        for content_type, ids in wanted.items()
        for record in content_type.model_class()._default_manager.filter(pk__in=ids)
    }
    for match in matches:
        match.support = found.get((match.support_type_id, match.support_id))
    return matches


def _subject_fields(case: Case, *, contact: bool) -> list[documents.ShownField]:
    """The case's subject without its confidential fields; with ``contact`` (the requester shared
    it, see ``sides.can_see_contact``), the confidential fields of its needs after it."""
    subject = case.subject
    fields = documents.shown_fields(subject, snapshots.snapshot(subject), access.confidential_fields(subject))
    if contact:
        for need in case.needs():
            confidential = access.confidential_fields(need)
            fields += [
                field
                for field in documents.shown_fields(need, snapshots.snapshot(need), hidden=())
                if field.name in confidential
            ]
    return fields


@login_required
@require_safe
def console(request: HttpRequest) -> HttpResponse:
    """Cases oldest first, each with its three best suggestions and its live matches."""
    _coordinator(request)
    filters = forms.CaseFilterForm(request.GET or None)
    cases = Case.objects.select_related("request", "need", "assigned_to").annotate(
        live_matches=Count("matches", filter=Q(matches__state__in=sorted(LIVE_STATES))),
        # Providers' offers of help wait for the help desk's look as well as the requester's answer.
        offers=Count("matches", filter=Q(matches__state=MatchState.OFFERED)),
        # An answer the requester sent back: the agent should read why before answering again.
        reopened=Exists(Response.objects.filter(case=OuterRef("pk"), reopened_at__isnull=False)),
    )
    state = filters.cleaned_data.get("state") if filters.is_valid() else ""
    cases = cases.filter(state=state) if state else cases.filter(state__in=ACTIVE_STATES)
    page = Paginator(cases.order_by("opened_at", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    # The suggestions of the page's cases are read together: the page's cost does not grow with
    # its rows.
    ranked = ranking.support_for_each([case.subject for case in page if case.is_active], limit=3)
    rows = [
        {
            "case": case,
            "age": (now - case.opened_at).days,
            "ranked": ranked.get(case.subject.identifier, ranking.Ranked()),
        }
        for case in page
    ]
    return render(
        request,
        "matchmaking/console.html",
        {"filters": filters, "page": page, "rows": rows},
    )


@login_required
@require_POST
def open_case(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    record = registry.find(request.POST.get("identifier", ""))
    if not isinstance(record, Need | Request):
        raise Http404
    try:
        case = services.open_case(record, actor=signed_in(request))
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(documents.page_url(record))
    return redirect(case.get_absolute_url())


def _case_context(request: HttpRequest, case: Case, **forms_given: Any) -> dict[str, Any]:
    matches = _with_support(
        case.matches.select_related("created_by").prefetch_related("events__by").order_by("created_at", "pk")
    )
    ranked = ranking.support_for(case.subject, limit=10) if case.is_active else ranking.Ranked()
    matched = {match.support_identifier for match in matches if match.is_live}
    now = timezone.now()
    return {
        "case": case,
        "subject": case.subject,
        "fields": _subject_fields(case, contact=True),
        "ranked": ranked,
        "matched": matched,
        "matches": [
            {"match": match, "waiting_on": sides.waiting_on(match), "days": (now - match.changed_at).days}
            for match in matches
        ],
        "responses": case.responses.select_related("answered_by", "reopened_by"),
        "answer_form": forms_given.get("answer_form") or forms.AnswerForm(),
        "shortlist_form": forms_given.get("shortlist_form") or forms.ShortlistForm(),
        "message_form": forms.MessageForm(),
        "reason_form": forms.ReasonForm(),
    }


@login_required
@require_safe
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator(request)
    case = get_object_or_404(Case.objects.select_related("request", "need", "assigned_to"), pk=pk)
    return render(request, "matchmaking/case.html", _case_context(request, case))


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Triage and shortlisting; a form with errors is shown again with them."""
    _coordinator(request)
    user = signed_in(request)
    case = get_object_or_404(Case.objects.select_related("request", "need"), pk=pk)
    form: Any
    try:
        if action == "answer":
            form = forms.AnswerForm(request.POST)
            if not form.is_valid():
                return _case_again(request, case, answer_form=form)
            services.answer_directly(case, actor=user, **form.cleaned_data)
            messages.success(request, _("Answered. The requester has been told."))
        elif action == "send":
            services.send_to_matchmaking(case, actor=user)
            messages.success(request, _("Sent to matchmaking."))
        elif action == "take":
            services.assign(case, actor=user, agent=user)
            messages.success(request, _("The case is yours."))
        elif action == "shortlist":
            form = forms.ShortlistForm(request.POST)
            if not form.is_valid():
                return _case_again(request, case, shortlist_form=form)
            _shortlist(case, form.cleaned_data["identifier"], user)
            messages.success(request, _("Shortlisted."))
        else:
            raise Http404
    except ValidationError as error:
        if action in {"answer", "shortlist"}:
            add_service_errors(form, error)
            return _case_again(request, case, **{f"{action}_form": form})
        messages.error(request, _error_text(error))
    return redirect(case.get_absolute_url())


def _case_again(request: HttpRequest, case: Case, **given: Any) -> HttpResponse:
    return render(request, "matchmaking/case.html", _case_context(request, case, **given), status=400)


def _shortlist(case: Case, identifier: str, user: Any) -> Match:
    """Shortlist a support record; with the engine's score and explanation when it suggests it."""
    support = registry.find(identifier.strip())
    if support is None:
        raise services.MatchmakingError(
            {"identifier": _("There is no record %(identifier)s.") % {"identifier": identifier}}
        )
    suggested = next(
        (
            item
            for item in ranking.support_for(case.subject, limit=50).items
            if item.record.identifier == support.identifier
        ),
        None,
    )
    return services.shortlist(
        case,
        support,
        actor=user,
        score=suggested.score if suggested else None,
        explanation=suggested.explanation if suggested else None,
    )


@login_required
@require_POST
def pair(request: HttpRequest) -> HttpResponse:
    """From a support record's "needs it could serve": open the need's case and shortlist."""
    _coordinator(request)
    user = signed_in(request)
    subject = registry.find(request.POST.get("need", ""))
    if not isinstance(subject, Need | Request):
        raise Http404
    try:
        case = services.open_case(subject, actor=user)
        _shortlist(case, request.POST.get("support", ""), user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("matchmaking:record", identifier=request.POST.get("support", ""))
    messages.success(request, _("Shortlisted."))
    return redirect(case.get_absolute_url())


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The matches of the Parties and organisations this person acts for, with their next step."""
    user = signed_in(request)
    matches = Match.objects.filter(sides.matches_of(user)).select_related(
        "case__request", "case__need", "case__request__owner_country", "case__need__owner_country"
    )
    show = request.GET.get("show", "live")
    if show != "all":
        matches = matches.exclude(state__in=sorted(FINAL_STATES))
    page = Paginator(matches.order_by("-changed_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [
        {"match": match, "actions": sides.actions_for(user, match), "days": (now - match.changed_at).days}
        for match in _with_support(page)
    ]
    return render(request, "matchmaking/mine.html", {"page": page, "rows": rows, "show": show})


def _visible_match(request: HttpRequest, pk: int) -> Match:
    match = get_object_or_404(Match.objects.select_related("case__request", "case__need"), pk=pk)
    if not sides.can_see(request.user, match):
        raise Http404
    return match


def _match_context(request: HttpRequest, match: Match, **given: Any) -> dict[str, Any]:
    actions = sides.actions_for(request.user, match)
    return {
        "match": _with_support([match])[0],
        "case": match.case,
        "subject": match.case.subject,
        "fields": _subject_fields(match.case, contact=sides.can_see_contact(request.user, match)),
        "events": match.events.select_related("by"),
        "actions": actions,
        "waiting_on": sides.waiting_on(match),
        "days": (timezone.now() - match.changed_at).days,
        "cooperation": Cooperation.objects.filter(match=match).first(),
        "outcome": getattr(match, "outcome", None) if match.state == MatchState.COMPLETED else None,
        "is_coordinator": sides.is_coordinator(request.user),
        "note_form": forms.NoteForm(),
        # One reason form per step, so an error shows under the step that was tried.
        "reason_forms": {
            action: given.get("reason_form")
            if given.get("error_action") == action
            else forms.ReasonForm(auto_id=f"{action}-%s")
            for action in ("decline", "cancel", "not_relevant")
        },
        "message_form": given.get("message_form") or forms.MessageForm(),
        "outcome_form": given.get("outcome_form") or forms.OutcomeForm(),
        "rate_form": given.get("rate_form") or forms.RateForm(),
        "error_action": given.get("error_action", ""),
    }


@login_required
@require_safe
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    match = _visible_match(request, pk)
    return render(request, "matchmaking/match.html", _match_context(request, match))


# The steps posted from the match page: form class and what to call with its data.
_STEPS: dict[str, tuple[type[Any], Callable[..., Any], str]] = {
    "propose": (
        forms.MessageForm,
        lambda m, a, d: services.propose(m, actor=a, message=d["message"]),
        "message_form",
    ),
    "accept": (forms.NoteForm, lambda m, a, d: services.accept(m, actor=a, note=d["note"]), ""),
    "decline": (
        forms.ReasonForm,
        lambda m, a, d: services.decline(m, actor=a, reason=d["reason"]),
        "reason_form",
    ),
    "confirm": (forms.NoteForm, lambda m, a, d: services.confirm(m, actor=a, note=d["note"]), ""),
    "start": (forms.NoteForm, lambda m, a, d: services.start(m, actor=a, note=d["note"]), ""),
    "complete": (forms.OutcomeForm, lambda m, a, d: services.complete(m, actor=a, **d), "outcome_form"),
    "rate": (
        forms.RateForm,
        lambda m, a, d: services.rate(m, actor=a, satisfaction=d["satisfaction"]),
        "rate_form",
    ),
    "cancel": (
        forms.ReasonForm,
        lambda m, a, d: services.cancel(m, actor=a, reason=d["reason"]),
        "reason_form",
    ),
    "not_relevant": (
        forms.ReasonForm,
        lambda m, a, d: services.mark_not_relevant(
            m.case.subject, m.support_identifier, actor=a, reason=d["reason"]
        ),
        "reason_form",
    ),
}
_DONE = {
    "propose": gettext_lazy("Proposed. The provider has been told."),
    "accept": gettext_lazy("Accepted. The requester has been told."),
    "decline": gettext_lazy("Declined. The requester has been told."),
    "confirm": gettext_lazy("Confirmed. The provider has been told."),
    "start": gettext_lazy("Marked as under way."),
    "complete": gettext_lazy("Completed, with its outcome."),
    "rate": gettext_lazy("Thank you for your rating."),
    "cancel": gettext_lazy("Cancelled."),
    "not_relevant": gettext_lazy("Noted: it will not be suggested for this need again."),
}


@login_required
@require_POST
def match_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in _STEPS:
        raise Http404
    match = _visible_match(request, pk)
    form_class, call, form_name = _STEPS[action]
    form = form_class(request.POST, auto_id=f"{action}-%s")
    if form.is_valid():
        try:
            call(match, signed_in(request), form.cleaned_data)
        except ValidationError as error:
            if not form_name:
                messages.error(request, _error_text(error))
                return redirect(match.get_absolute_url())
            add_service_errors(form, error)
        else:
            messages.success(request, str(_DONE[action]))
            return redirect(match.get_absolute_url())
    if not form_name:
        messages.error(request, _("Please correct the errors below."))
        return redirect(match.get_absolute_url())
    match.refresh_from_db()
    context = _match_context(request, match, **{form_name: form, "error_action": action})
    return render(request, "matchmaking/match.html", context, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def agree(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the agreement: the cooperation, its parties and the contributions of each."""
    match = _visible_match(request, pk)
    if "agree" not in sides.actions_for(request.user, match):
        raise PermissionDenied(_("This match cannot be agreed by you now."))
    sides_and_funder = [match.case.subject.owner, sides.support_owner(match)]
    if match.funder is not None:
        sides_and_funder.append(match.funder)
    contributors = forms.contributor_choices(*sides_and_funder)
    # A peer exchange is agreed as the cooperation it was proposed as.
    form = forms.CooperationForm(
        request.POST or None, initial={"kind": match.exchange} if match.exchange else None
    )
    formset = forms.ContributionFormSet(
        request.POST or None, prefix="contributions", form_kwargs={"contributors": contributors}
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        contributions = [item for item in (row.as_input() for row in formset.forms) if item is not None]
        try:
            cooperation = services.agree(
                match, actor=signed_in(request), details=forms.cooperation_input(form, contributions)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Agreed. Both sides have been told."))
            return redirect(cooperation.get_absolute_url())
    return render(
        request,
        "matchmaking/agree.html",
        {"match": _with_support([match])[0], "form": form, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def cooperation(request: HttpRequest, pk: int) -> HttpResponse:
    match = _visible_match(request, pk)
    found = get_object_or_404(
        Cooperation.objects.prefetch_related(
            "parties__country",
            "parties__organisation",
            "contributions__contributor_country",
            "contributions__contributor_organisation",
        ),
        match=match,
    )
    return render(
        request,
        "matchmaking/cooperation.html",
        {
            "match": _with_support([match])[0],
            "cooperation": found,
            "totals": found.totals(),
            "outcome": getattr(match, "outcome", None) if match.state == MatchState.COMPLETED else None,
        },
    )


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """ "This did not answer our request": the requester's people or the help desk reopen an
    answered case, with a reason."""
    case = get_object_or_404(Case.objects.select_related("request", "need"), pk=pk)
    user = signed_in(request)
    if not sides.may_reopen(user, case):
        raise PermissionDenied(_("Only the help desk and the requester can reopen this case."))
    back = back_to(request, reverse("matchmaking:record", args=[case.subject.identifier]))
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the answer did not meet the request."))
        return redirect(back)
    try:
        services.reopen(case, actor=user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Reopened. The help desk will answer again or look for a partner."))
    return redirect(back)


@login_required
@require_safe
def record(request: HttpRequest, identifier: str) -> HttpResponse:
    """A need's, request's or support record's matches, and for the help desk and the record's
    owners, the suggestions: support for a need, needs for support."""
    found = registry.find(identifier)
    if found is None or not found.live:
        raise Http404
    user = request.user
    answers: QuerySet[Response] = Response.objects.none()
    case, is_requester = None, False
    if isinstance(found, Need | Request):
        # A need's matches and answers include those of the requests it is part of.
        concerning = (
            Q(case__request=found)
            if isinstance(found, Request)
            else Q(case__need=found) | Q(case__request__needs=found)
        )
        matches = Match.objects.filter(concerning).distinct()
        is_requester = sides.acts_for_requester(user, found)
        may_suggest = sides.is_coordinator(user) or is_requester
        ranked = ranking.support_for(found) if may_suggest else ranking.Ranked()
        if may_suggest:
            # What "No good match yet" offers depends on whether the help desk has it already.
            case = Case.objects.filter(**{"request" if isinstance(found, Request) else "need": found}).first()
            answers = (
                Response.objects.filter(concerning)
                .distinct()
                .select_related("case__request", "case__need", "answered_by", "reopened_by")
            )
    elif services.is_support(found):
        matches = Match.objects.filter(support_identifier=found.identifier)
        may_suggest = sides.is_coordinator(user) or sides.acts_for_support_record(user, found)
        ranked = ranking.needs_for(found) if may_suggest else ranking.Ranked()
    else:
        raise Http404
    visible = [
        match
        for match in matches.select_related("case__request", "case__need").order_by("-changed_at")
        if sides.can_see(user, match)
    ]
    return render(
        request,
        "matchmaking/record.html",
        {
            "record": found,
            "title": getattr(found, "title", {}),
            "is_need": isinstance(found, Need | Request),
            "matches": _with_support(visible),
            "answers": answers,
            "may_suggest": may_suggest,
            "is_coordinator": sides.is_coordinator(user),
            "ranked": ranked,
            "case": case,
            "is_requester": is_requester,
            "page_url": documents.page_url(found),
        },
    )


@login_required
@require_POST
def not_relevant(request: HttpRequest) -> HttpResponse:
    """ "Not relevant" from a list of suggestions (the need and the support record posted)."""
    subject = registry.find(request.POST.get("need", ""))
    if not isinstance(subject, Need | Request):
        raise Http404
    back = back_to(request, reverse("matchmaking:record", args=[subject.identifier]))
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why it is not relevant."))
        return redirect(back)
    try:
        services.mark_not_relevant(
            subject,
            request.POST.get("support", ""),
            actor=signed_in(request),
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, str(_DONE["not_relevant"]))
    return redirect(back)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def offer_help(request: HttpRequest, identifier: str) -> HttpResponse:
    """ "I can help": a provider, expert or partner proposes one of its published support records
    for a published need or request, with a message (services.offer_help decides)."""
    subject = registry.find(identifier)
    if not isinstance(subject, Need | Request) or not subject.live:
        raise Http404
    user = signed_in(request)
    records = sides.support_records_of(user, subject)
    # Records already proposed (by anyone) while their match is live are shown, not offered again.
    concerning = Q(case__request=subject) if isinstance(subject, Request) else Q(case__need=subject)
    proposed = _with_support(
        Match.objects.filter(
            concerning,
            state__in=sorted(LIVE_STATES),
            support_identifier__in=[record.identifier for record in records],
        )
    )
    taken = {match.support_identifier for match in proposed}
    records = [record for record in records if record.identifier not in taken]
    form = forms.OfferHelpForm(request.POST or None, records=records)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["support"]
        support = registry.find(chosen)
        try:
            if support is None:
                raise services.MatchmakingError(
                    {"support": _("There is no record %(identifier)s.") % {"identifier": chosen}}
                )
            match = services.offer_help(subject, support, actor=user, message=form.cleaned_data["message"])
        except ValidationError as error:
            add_service_errors(form, error)
        except services.NotAllowedError as error:
            form.add_error("support", str(error))
        else:
            messages.success(request, _("Your offer of help was sent to the requester and the help desk."))
            return redirect(match.get_absolute_url())
    return render(
        request,
        "matchmaking/offer_help.html",
        {
            "subject": subject,
            "form": form,
            "records": records,
            "proposed": proposed,
            "takes_offers": services.takes_offers(subject),
            "page_url": documents.page_url(subject),
        },
        status=400 if request.method == "POST" else 200,
    )


def _need_or_request(identifier: str) -> Need | Request:
    subject = registry.find(identifier)
    if not isinstance(subject, Need | Request) or not subject.live:
        raise Http404
    return subject


@login_required
@require_POST
def ask_help_desk(request: HttpRequest, identifier: str) -> HttpResponse:
    """ "Ask the help desk": the requester asks for support to be looked for (services decide)."""
    subject = _need_or_request(identifier)
    back = reverse("matchmaking:record", args=[subject.identifier])
    form = forms.AskForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what you are looking for."))
        return redirect(back)
    try:
        services.ask_help_desk(subject, actor=signed_in(request), message=form.cleaned_data["message"])
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The help desk has your request and will look for support."))
    return redirect(back)


@login_required
@require_POST
def circulate(request: HttpRequest, identifier: str) -> HttpResponse:
    """ "Circulate to providers": the help desk lists the need on "Needs seeking support"."""
    _coordinator(request)
    subject = _need_or_request(identifier)
    back = back_to(request, reverse("matchmaking:record", args=[subject.identifier]))
    try:
        services.circulate(subject, actor=signed_in(request))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Circulated: providers find it on “Needs seeking support”."))
    return redirect(back)


@require_safe
def seeking(request: HttpRequest) -> HttpResponse:
    """The needs and requests the help desk circulated to providers, each with "I can help" for
    those who have published support to put forward."""
    page = Paginator(services.seeking_support(), PAGE_SIZE).get_page(request.GET.get("page"))
    # The person's support records, read once for the page (not once per need).
    records = sides.support_records_of(request.user)
    rows = [
        {
            "case": case,
            "subject": case.subject,
            "may_offer": bool(sides.not_the_requesters(records, case.subject)),
        }
        for case in page
    ]
    return render(request, "matchmaking/seeking.html", {"page": page, "rows": rows})
