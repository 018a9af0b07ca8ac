"""Pages of a matchmaking round table: what I bring, the participants, asking for a meeting,
my meetings (answer, withdraw, record outcomes), the organiser's proposals from the matcher's
suggestions, and what the round table led to. The rules live in roundtables.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.multilingual import show
from clearinghouse.events import permissions, roundtables
from clearinghouse.events.models import (
    Event,
    EventKind,
    Meeting,
    MeetingRequest,
    Outcome,
    Registration,
    RequestStatus,
    Side,
)
from clearinghouse.events.roundtable_forms import (
    AnswerForm,
    BrowseForm,
    MeetingRequestForm,
    ProposeForm,
    ShortRecordForm,
    SideForm,
)
from clearinghouse.publishing.owners import registers_records


def _round_table(request: HttpRequest, identifier: str) -> Event:
    event = get_object_or_404(Event, identifier=identifier.upper(), kind=EventKind.ROUND_TABLE)
    if not event.live and not permissions.is_organiser(request.user, event):
        raise Http404
    return event


def _participant(request: HttpRequest, event: Event) -> Registration:
    registration = roundtables.participant(event, request.user)
    if registration is None:
        raise PermissionDenied(_("Only confirmed participants of this round table can do this."))
    return registration


def _title(record: Any) -> str:
    return show(getattr(record, "title", None) or {}, record.original_language).text or record.identifier


def _show_error(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def items(request: HttpRequest, identifier: str) -> HttpResponse:
    """My side and the records I bring; a short need or offer written here."""
    event = _round_table(request, identifier)
    registration = _participant(request, event)
    user = signed_in(request)
    here = reverse("events:roundtable_items", args=[event.identifier])
    side_form = SideForm(initial={"side": registration.side})
    short_form = ShortRecordForm(user=user, need=registration.side == Side.SEEKER)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "side":
                side_form = SideForm(request.POST)
                if side_form.is_valid():
                    roundtables.set_side(registration, side_form.cleaned_data["side"], actor=user)
                    messages.success(request, _("Saved."))
                    return redirect(here)
            elif action == "bring":
                record = roundtables.bring(registration, request.POST.get("identifier", ""), actor=user)
                messages.success(request, _("You bring %(identifier)s.") % {"identifier": record.identifier})
                return redirect(here)
            elif action == "drop":
                roundtables.drop(registration, request.POST.get("identifier", ""), actor=user)
                messages.success(request, _("Removed."))
                return redirect(here)
            elif action == "write":
                short_form = ShortRecordForm(request.POST, user=user, need=registration.side == Side.SEEKER)
                if short_form.is_valid():
                    data = short_form.cleaned_data
                    written = roundtables.write_short(
                        registration,
                        roundtables.ShortRecord(
                            kind="need" if registration.side == Side.SEEKER else "offer",
                            owner=short_form.chosen_owner(),
                            language=data["language"],
                            title=data["title"],
                            description=data["description"],
                            support_types=list(data["support_types"]),
                            subjects=list(data["subjects"]),
                            priority=data.get("priority") or "",
                            instruments=list(data.get("instruments") or []),
                            capacity_levels=list(data.get("capacity_levels") or []),
                        ),
                        actor=user,
                    )
                    if written.problems:
                        messages.warning(
                            request,
                            _(
                                "%(identifier)s is saved as a draft and brought. "
                                "Complete it to submit it for review: %(problems)s"
                            )
                            % {
                                "identifier": written.record.identifier,
                                "problems": " ".join(written.problems),
                            },
                        )
                    else:
                        messages.success(
                            request,
                            _(
                                "%(identifier)s is submitted for review and brought; "
                                "the others see it once it is published."
                            )
                            % {"identifier": written.record.identifier},
                        )
                    return redirect(here)
        except ValidationError as error:
            if action == "write":
                _attach(short_form, error)
            elif action == "side":
                _attach(side_form, error)
            else:
                _show_error(request, error)
    brought = roundtables.items_of([registration], published_only=False)[registration.pk]
    brought_ids = {record.identifier for record in brought}
    context = {
        "event": event,
        "registration": registration,
        "side_form": side_form,
        "short_form": short_form,
        "can_write": registers_records(user),
        "brought": brought,
        "bringable": [
            r for r in roundtables.bringable(user, registration.side) if r.identifier not in brought_ids
        ],
    }
    return render(request, "events/roundtable/items.html", context)


def _attach(form: Any, error: ValidationError) -> None:
    """Show a service's refusal on the form: by field when it names one the form has."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _filter_choices(
    profiles: list[roundtables.Profile],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    countries = {
        profile.registration.country.code: profile.registration.country.name()
        for profile in profiles
        if profile.registration.country is not None
    }
    terms = {
        code: term.label()
        for profile in profiles
        for code, term in roundtables.item_terms(profile.items).items()
    }
    return sorted(countries.items(), key=lambda pair: pair[1]), sorted(
        terms.items(), key=lambda pair: pair[1]
    )


@login_required
@require_safe
def participants(request: HttpRequest, identifier: str) -> HttpResponse:
    """The participants I may see, their items, filters, and those suggested for me first."""
    event = _round_table(request, identifier)
    everyone = roundtables.browse(event, request.user)
    countries, terms = _filter_choices(everyone)
    form = BrowseForm(request.GET or None, countries=countries, terms=terms)
    profiles = everyone
    if form.is_bound and form.is_valid():
        profiles = roundtables.filtered(everyone, roundtables.BrowseFilters(**form.cleaned_data))
    me = roundtables.participant(event, request.user)
    context = {
        "event": event,
        "form": form,
        "profiles": profiles,
        "me": me,
        "is_organiser": permissions.is_organiser(request.user, event),
        "requests_open": roundtables.requests_open(event),
    }
    return render(request, "events/roundtable/participants.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_meeting(request: HttpRequest, identifier: str, pk: int) -> HttpResponse:
    """Ask a participant for a 1:1 meeting."""
    event = _round_table(request, identifier)
    me = _participant(request, event)
    invitee = get_object_or_404(roundtables.visible(event, request.user), pk=pk)
    brought = roundtables.items_of([me, invitee])
    choices = [
        (record.identifier, f"{record.identifier} · {_title(record)}")
        for registration in (me, invitee)
        for record in brought[registration.pk]
    ]
    form = MeetingRequestForm(request.POST or None, items=choices)
    if request.method == "POST" and form.is_valid():
        try:
            roundtables.request_meeting(
                event,
                invitee,
                actor=signed_in(request),
                priority=form.cleaned_data["priority"],
                message=form.cleaned_data["message"],
                about=form.cleaned_data["about"],
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Your request is sent to %(name)s.") % {"name": invitee.name})
            return redirect("events:meetings", event.identifier)
    context = {"event": event, "invitee": invitee, "items": brought[invitee.pk], "form": form}
    return render(request, "events/roundtable/request.html", context)


@login_required
@require_safe
def meetings(request: HttpRequest, identifier: str) -> HttpResponse:
    """My meeting requests, made and received, and my scheduled meetings with their outcomes."""
    event = _round_table(request, identifier)
    me = _participant(request, event)
    roundtables.expire_due(event)
    mine = roundtables.my_meetings(me)
    now = timezone.now()
    scheduled = {meeting.request_id for meeting in mine.meetings}
    context = {
        "started": {meeting.pk for meeting in mine.meetings if meeting.slot.starts_at <= now},
        "withdrawable": {
            request.pk
            for request in mine.made
            if request.status == RequestStatus.PENDING
            or (request.status == RequestStatus.ACCEPTED and request.pk not in scheduled)
        },
        "event": event,
        "me": me,
        "mine": mine,
        "outcomes": Outcome.choices,
        "requests_open": roundtables.requests_open(event),
        "closes_at": roundtables.requests_close_at(event),
        "cap": roundtables.REQUEST_CAP,
    }
    return render(request, "events/roundtable/meetings.html", context)


def _meetings_page(event: Event, anchor: str = "") -> HttpResponse:
    return redirect(reverse("events:meetings", args=[event.identifier]) + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def answer(request: HttpRequest, identifier: str, pk: int) -> HttpResponse:
    event = _round_table(request, identifier)
    meeting_request = get_object_or_404(MeetingRequest, pk=pk, event=event)
    form = AnswerForm(request.POST)
    accept = request.POST.get("answer") == "accept"
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["note"]))
        roundtables.answer(
            meeting_request, actor=signed_in(request), accept=accept, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        _show_error(request, error)
    else:
        messages.success(request, _("Accepted.") if accept else _("Declined."))
    return _meetings_page(event, f"request-{pk}")


@login_required
@require_POST
def withdraw(request: HttpRequest, identifier: str, pk: int) -> HttpResponse:
    event = _round_table(request, identifier)
    meeting_request = get_object_or_404(MeetingRequest, pk=pk, event=event)
    try:
        roundtables.withdraw(meeting_request, actor=signed_in(request))
    except ValidationError as error:
        _show_error(request, error)
    else:
        messages.success(request, _("Withdrawn."))
    return _meetings_page(event, f"request-{pk}")


@login_required
@require_POST
def outcome(request: HttpRequest, identifier: str, pk: int) -> HttpResponse:
    event = _round_table(request, identifier)
    meeting = get_object_or_404(Meeting, pk=pk, request__event=event)
    try:
        recorded = roundtables.record_outcome(
            meeting, actor=signed_in(request), outcome=request.POST.get("outcome", "")
        )
    except ValidationError as error:
        _show_error(request, error)
    else:
        messages.success(request, _("The outcome is recorded."))
        if recorded.notice:
            messages.warning(request, recorded.notice)
        elif recorded.meeting.match_id is not None:
            messages.info(request, _("The help desk follows the match up in matchmaking."))
    return _meetings_page(event, f"meeting-{pk}")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposals(request: HttpRequest, identifier: str) -> HttpResponse:
    """For the organisers: the matcher's suggestions between seekers' needs and providers'
    support, and a button that proposes the meeting."""
    event = _round_table(request, identifier)
    if not permissions.is_organiser(request.user, event):
        raise PermissionDenied(_("Only the organisers of this round table can propose meetings."))
    if request.method == "POST":
        form = ProposeForm(request.POST)
        if form.is_valid():
            registrations = roundtables.participants(event)
            seeker = registrations.filter(pk=form.cleaned_data["seeker"]).first()
            provider = registrations.filter(pk=form.cleaned_data["provider"]).first()
            try:
                if seeker is None or provider is None:
                    raise ValidationError(
                        _("Only confirmed participants of this round table take part in its meetings.")
                    )
                roundtables.propose_meeting(
                    event,
                    seeker,
                    provider,
                    actor=signed_in(request),
                    priority=form.cleaned_data["priority"],
                    about=form.cleaned_data["about"],
                )
            except ValidationError as error:
                _show_error(request, error)
            else:
                messages.success(
                    request,
                    _("Proposed: %(provider)s is asked to meet %(seeker)s.")
                    % {"provider": provider.name, "seeker": seeker.name},
                )
        else:
            messages.error(request, _("Choose a priority."))
        return redirect("events:roundtable_proposals", event.identifier)
    # One form per row: without ids, which would repeat.
    context = {"event": event, "proposals": roundtables.proposals(event), "form": ProposeForm(auto_id=False)}
    return render(request, "events/roundtable/proposals.html", context)


@require_safe
def statistics(request: HttpRequest, identifier: str) -> HttpResponse:
    """What the round table led to: everything for its organisers and the help desk, counts of
    five or more for everyone else."""
    event = _round_table(request, identifier)
    figures = roundtables.statistics(event)
    full = permissions.is_organiser(request.user, event) or permissions.follows_results(request.user)
    context = {"event": event, "figures": figures, "public": figures.public(), "full": full}
    return render(request, "events/roundtable/statistics.html", context)


urlpatterns = [
    path("<str:identifier>/round-table/items/", items, name="roundtable_items"),
    path("<str:identifier>/round-table/participants/", participants, name="roundtable_participants"),
    path(
        "<str:identifier>/round-table/participants/<int:pk>/request/",
        request_meeting,
        name="meetings_request",
    ),
    path("<str:identifier>/round-table/proposals/", proposals, name="roundtable_proposals"),
    path("<str:identifier>/round-table/statistics/", statistics, name="roundtable_statistics"),
    path("<str:identifier>/meetings/", meetings, name="meetings"),
    path("<str:identifier>/meetings/requests/<int:pk>/answer/", answer, name="meetings_answer"),
    path("<str:identifier>/meetings/requests/<int:pk>/withdraw/", withdraw, name="meetings_withdraw"),
    path("<str:identifier>/meetings/<int:pk>/outcome/", outcome, name="meetings_outcome"),
]
