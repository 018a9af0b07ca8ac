"""Pages of events: the list (upcoming, past), the event's page, its calendar files, and the
organisers' forms (new, edit, translate, settings) with the publishing workflow."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.accounts.forms import spoken_language_choices
from clearinghouse.core import time_zones
from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.core.multilingual import Shown, show
from clearinghouse.events import ical, permissions, services, when
from clearinghouse.events.filtersets import PAST, UPCOMING, EventFilter
from clearinghouse.events.forms import EventForm, PictureForm, SettingsForm
from clearinghouse.events.models import Event
from clearinghouse.publishing import access, documents, registry, usage, workflow
from clearinghouse.publishing.forms import StartForm
from clearinghouse.publishing.models import State, Usage
from clearinghouse.publishing.owners import owner_choices, registers_records
from clearinghouse.publishing.views import translation_page
from clearinghouse.support import permissions as support_permissions
from clearinghouse.support import services as support_services
from clearinghouse.support.forms import TranslationForm
from clearinghouse.support.models import Resource
from clearinghouse.support.views import save_change

PAGE_SIZE = 20
# Rendered by the page itself, not in the list of other facts.
_SHOWN_APART = {
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "time_zone",
    "attendance",
    "venue",
    "city",
    "venue_country",
    "online_url",
    "languages",
    "interpretation",
    "partners",
    "plan_activities",
    "materials",
    "material_links",
}


def _find(identifier: str) -> Event:
    record = registry.find(identifier)
    if not isinstance(record, Event):
        raise Http404
    return record


def language_names(codes: list[str], names: dict[str, str] | None = None) -> str:
    """Languages named in the reader's language (``names``: the table, when already made)."""
    names = names if names is not None else dict(spoken_language_choices())
    return ", ".join(names.get(code, code) for code in codes)


@dataclass(frozen=True)
class Row:
    """One event as the list shows it."""

    event: Event
    title: Shown
    dates: when.Span
    place: str
    languages: str


def _rows(events: Iterable[Event]) -> list[Row]:
    names = dict(spoken_language_choices())
    return [
        Row(
            event,
            show(event.title, event.original_language),
            when.in_zone(event),
            ical.location(event),
            language_names(list(event.languages or []), names),
        )
        for event in events
    ]


def _listed() -> QuerySet[Event]:
    return Event.objects.filter(live=True).select_related(
        "owner_country", "owner_organisation", "venue_country"
    )


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    """Published events with filters: upcoming ones soonest first, or past ones latest first."""
    data = request.GET.copy()
    past = data.get("when") == PAST
    data["when"] = PAST if past else UPCOMING
    filters = EventFilter(data, queryset=_listed())
    order = ("-starts_at", "-pk") if past else ("starts_at", "pk")
    events = filters.qs.distinct().order_by(*order)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    form = filters.form
    # The tabs choose upcoming or past; the filters keep the choice.
    form.fields["when"].widget = forms.HiddenInput()
    context = {
        "filters": form,
        "page": page,
        "rows": _rows(page),
        "past": past,
        "can_register": registers_records(request.user),
    }
    return render(request, "events/list.html", context)


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The events this person organises, drafts included, latest first."""
    # The venue's country names the place of each row.
    events = (
        services.events_of(signed_in(request))
        .select_related("venue_country")
        .order_by("-starts_at", "-pk")[:200]
    )
    return render(
        request,
        "events/mine.html",
        {"rows": _rows(events), "can_register": registers_records(request.user)},
    )


def _materials(event: Event, user: Any) -> list[Resource]:
    return [resource for resource in event.materials.all() if access.can_see(user, resource)]


@require_safe
def detail(request: HttpRequest, identifier: str) -> HttpResponse:
    event = _find(identifier)
    user = request.user
    if not access.can_see(user, event):
        raise Http404
    usage.record_used(request, event, Usage.VIEW)
    context = documents.page_context(request, event)
    reader_zone = when.reader_zone(request.GET.get("tz", ""))
    organiser = permissions.is_organiser(user, event)
    context |= {
        "event": event,
        "facts": [field for field in context["fields"] if field.name not in _SHOWN_APART],
        "rich_fields": event.RICH_FIELDS,
        "description": show(event.description, event.original_language),
        "dates": when.in_zone(event),
        "dates_utc": when.in_zone(event, zoneinfo.ZoneInfo("UTC")),
        "dates_reader": when.in_zone(event, reader_zone) if reader_zone else None,
        "reader_zone": request.GET.get("tz", "") if reader_zone else "",
        "place": ical.location(event),
        "languages": language_names(list(event.languages or [])),
        "interpretation": language_names(list(event.interpretation or [])),
        "partners": list(event.partners.all()),
        "activities": [
            (activity, show(activity.texts, activity.original_language))
            for activity in event.plan_activities.order_by("number")
        ],
        "materials": [
            (resource, show(resource.title, resource.original_language))
            for resource in _materials(event, user)
        ],
        "is_past": event.is_past(),
        "organiser": organiser,
        "can_edit": organiser
        and support_permissions.can_edit(user, event)
        and event.state not in {State.SUBMITTED, State.ARCHIVED},
        "translations": [(code, name) for code, name in LANGUAGE_CHOICES if code != event.original_language],
    }
    return render(request, "events/detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """A new event on one page: for whom, in which language, and its content."""
    user = signed_in(request)
    owners = owner_choices(user)
    if not owners:
        raise PermissionDenied(
            _("You register events once your national focal point or organisation appoints you.")
        )
    owner_form = StartForm(request.POST or None, owners=owners)
    form = EventForm(request.POST or None)
    if request.method == "POST" and owner_form.is_valid() and form.is_valid():
        submitting = request.POST.get("action") == "submit"
        try:
            # One step: an event that cannot be submitted is not left behind as a stray draft.
            with transaction.atomic():
                event = services.create(
                    actor=user,
                    owner=owner_form.cleaned_data["owner"],
                    language=owner_form.cleaned_data["original_language"],
                    cleaned=form.cleaned_data,
                )
                if submitting:
                    services.submit(event, actor=user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if submitting:
                messages.success(request, _("Submitted for review. The reviewers have been told."))
            else:
                messages.success(
                    request, _("Draft saved as %(identifier)s.") % {"identifier": event.identifier}
                )
            return redirect(event.get_absolute_url())
    context = {"owner_form": owner_form, "form": form, "event": None, "zone_names": time_zones.names()}
    return render(request, "events/form.html", context)


def _editable(request: HttpRequest, identifier: str) -> Event:
    event = _find(identifier)
    if not support_permissions.can_edit(request.user, event):
        raise PermissionDenied
    return event


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, identifier: str) -> HttpResponse:
    """Change an event: saved as a new draft revision; a published event stays public as it was
    until the change is published."""
    event = _editable(request, identifier)
    working, many = workflow.working_copy(event)
    initial = EventForm.initial_from(Event, working, many, event.original_language)
    form = EventForm(request.POST or None, initial=services.form_initial(event, initial, working.time_zone))
    if request.method == "POST" and form.is_valid():
        saved = save_change(request, event, form, save=services.save, again="events:edit")
        if saved is not None:
            return saved
    latest = workflow.latest_revision(event)
    context = {
        "form": form,
        "event": event,
        "problems": event.submission_problems(latest.content) if latest else [],
        "zone_names": time_zones.names(),
    }
    return render(request, "events/form.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def translate(request: HttpRequest, identifier: str, language: str) -> HttpResponse:
    event = _editable(request, identifier)
    form = TranslationForm(request.POST or None, model=Event)
    return translation_page(request, event, language, form=form, save=support_services.save_values)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_settings(request: HttpRequest, identifier: str) -> HttpResponse:
    """Registration and round-table settings, changed at once (no review: they are not content)."""
    event = _find(identifier)
    if not permissions.is_organiser(request.user, event):
        raise PermissionDenied
    initial = services.form_initial(
        event, {name: getattr(event, name) for name in services.SETTINGS}, event.time_zone
    )
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_settings(event, actor=signed_in(request), cleaned=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect(event.get_absolute_url())
    return render(
        request, "events/settings.html", {"event": event, "form": form, "dates": when.in_zone(event)}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_picture(request: HttpRequest, identifier: str) -> HttpResponse:
    """The event's picture, changed at once by an organiser."""
    event = _find(identifier)
    if not permissions.is_organiser(request.user, event):
        raise PermissionDenied
    form = PictureForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        picture = None if form.cleaned_data["remove"] else form.cleaned_data["picture"]
        services.change_picture(event, actor=signed_in(request), picture=picture)
        messages.success(request, _("Picture saved.") if picture else _("Picture removed."))
        return redirect(event.get_absolute_url())
    return render(request, "events/picture.html", {"event": event, "form": form})


@require_safe
@cache_control(public=True, max_age=24 * 60 * 60)
def time_zone_options(request: HttpRequest) -> HttpResponse:
    """The time zones' names as <option>s, for the list under an event's "my time zone" box:
    fetched (by htmx) when the reader goes to the box, not sent with every event's page, whose
    weight it would double. Typed by hand, a name works the same without it."""
    return render(request, "events/_time_zone_options.html", {"zone_names": time_zones.names()})


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def event_ics(request: HttpRequest, identifier: str) -> HttpResponse:
    """The event as a calendar file, to add to one's calendar."""
    event = _find(identifier)
    if not event.live or not access.can_see(request.user, event):
        raise Http404
    name = show(event.title, event.original_language).text or event.identifier
    return _calendar_response(ical.calendar([event], name), f"{event.identifier}.ics")


@require_safe
def calendar_ics(request: HttpRequest) -> HttpResponse:
    """Every published event to come, and those that ended in the last 90 days: a calendar to
    subscribe to."""
    since: datetime = ical.calendar_window()
    events = (
        _listed()
        .filter(services.upcoming_condition(since))
        .exclude(starts_at__isnull=True)
        .order_by("starts_at", "pk")
    )
    return _calendar_response(ical.calendar(events, _("Events")), "events.ics")
