"""Pages of a round table's schedule: slots and tables, each participant's availability, the
organisers' review (run the scheduler, lock, move, remove, publish), and the personal agendas
(page, PDF, iCal). Every form works without JavaScript."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.events import permissions, schedule_agendas, schedules
from clearinghouse.events.models import Event, EventKind, Meeting, Registration, Side, Slot, Table
from clearinghouse.events.schedule_forms import (
    AvailabilityForm,
    BuildForm,
    FixedTableForm,
    GenerateSlotsForm,
    MoveForm,
    SlotForm,
    TablesForm,
)
from clearinghouse.publishing.documents import PdfUnavailableError


def _round_table(identifier: str) -> Event:
    return get_object_or_404(Event, identifier=identifier.upper(), kind=EventKind.ROUND_TABLE)


def _organised(request: HttpRequest, identifier: str) -> Event:
    event = _round_table(identifier)
    if not permissions.is_organiser(request.user, event):
        raise PermissionDenied(_("Only the event's organisers manage its schedule."))
    return event


def _show_problem(request: HttpRequest, problem: ValidationError) -> None:
    for message in problem.messages:
        messages.error(request, message)


# --- slots and tables ------------------------------------------------------------------------------


def _slots_page(request: HttpRequest, event: Event, **forms: object) -> HttpResponse:
    context = {
        "event": event,
        "event_title": schedule_agendas.event_title(event),
        "zone": schedule_agendas.zone_name(event),
        "slots": list(event.slots.order_by("starts_at")),
        "tables": list(event.tables.order_by("pk")),
        "keepers": {
            registration.fixed_table_id: registration
            for registration in schedules.confirmed(event).exclude(fixed_table=None)
        },
        "generate_form": forms.get("generate_form") or GenerateSlotsForm(prefix="generate"),
        "slot_form": forms.get("slot_form") or SlotForm(prefix="slot"),
        "tables_form": forms.get("tables_form") or TablesForm(prefix="tables"),
        "fixed_form": forms.get("fixed_form") or FixedTableForm(event, prefix="fixed"),
    }
    return render(request, "events/schedule/slots.html", context, status=400 if forms else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def slots(request: HttpRequest, identifier: str) -> HttpResponse:
    """The organisers make the slots (a run of them, or one) and the tables, and give
    participants a table of their own."""
    event = _organised(request, identifier)
    if request.method != "POST":
        return _slots_page(request, event)
    action = request.POST.get("action", "")
    try:
        if action == "generate":
            generate = GenerateSlotsForm(request.POST, prefix="generate")
            if not generate.is_valid():
                return _slots_page(request, event, generate_form=generate)
            starts_at, ends_at = generate.moments(event)
            made = schedules.generate_slots(
                event,
                actor=request.user,
                starts_at=starts_at,
                ends_at=ends_at,
                length=timedelta(minutes=generate.cleaned_data["length"]),
                pause=timedelta(minutes=generate.cleaned_data["pause"]),
            )
            messages.success(
                request,
                ngettext("%(count)s slot added.", "%(count)s slots added.", len(made)) % {"count": len(made)},
            )
        elif action == "add_slot":
            single = SlotForm(request.POST, prefix="slot")
            if not single.is_valid():
                return _slots_page(request, event, slot_form=single)
            starts_at, ends_at = single.moments(event)
            schedules.add_slot(event, actor=request.user, starts_at=starts_at, ends_at=ends_at)
            messages.success(request, _("Slot added."))
        elif action == "remove_slot":
            slot = get_object_or_404(Slot, event=event, pk=request.POST.get("slot") or 0)
            schedules.remove_slot(slot, actor=request.user)
            messages.success(request, _("Slot removed."))
        elif action == "add_tables":
            tables = TablesForm(request.POST, prefix="tables")
            if not tables.is_valid():
                return _slots_page(request, event, tables_form=tables)
            made_tables = schedules.add_tables(
                event, actor=request.user, count=tables.cleaned_data["count"] or 0, names=tables.names_given()
            )
            messages.success(
                request,
                ngettext("%(count)s table added.", "%(count)s tables added.", len(made_tables))
                % {"count": len(made_tables)},
            )
        elif action == "remove_table":
            table = get_object_or_404(Table, event=event, pk=request.POST.get("table") or 0)
            schedules.remove_table(table, actor=request.user)
            messages.success(request, _("Table removed."))
        elif action == "fixed_table":
            fixed = FixedTableForm(event, request.POST, prefix="fixed")
            if not fixed.is_valid():
                return _slots_page(request, event, fixed_form=fixed)
            schedules.set_fixed_table(
                fixed.cleaned_data["registration"], fixed.cleaned_data["table"], actor=request.user
            )
            messages.success(request, _("Table of their own saved."))
        else:
            raise Http404
    except ValidationError as problem:
        _show_problem(request, problem)
    return redirect("events:schedule_slots", event.identifier)


# --- availability ----------------------------------------------------------------------------------


def _participant(request: HttpRequest, event: Event) -> Registration:
    registration = schedules.participant_of(request.user, event)
    if registration is None:
        raise PermissionDenied(_("Only the round table's confirmed participants have an agenda here."))
    return registration


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def availability(request: HttpRequest, identifier: str) -> HttpResponse:
    """A participant ticks the slots they are free in (all, until they say otherwise) and the
    most meetings they want; a provider may ask for a table of their own."""
    event = _round_table(identifier)
    registration = _participant(request, event)
    all_slots = list(event.slots.order_by("starts_at").values_list("pk", flat=True))
    form = AvailabilityForm(
        event,
        initial={
            "slots": schedules.available_ids(registration, all_slots),
            "max_meetings": registration.max_meetings,
        },
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "availability")
        try:
            if action == "keep_table":
                table = schedules.keep_table(registration, actor=request.user)
                messages.success(
                    request, _("%(table)s is yours for all your meetings.") % {"table": table.name}
                )
                return redirect("events:schedule_availability", event.identifier)
            if action == "release_table":
                schedules.release_table(registration, actor=request.user)
                messages.success(request, _("You no longer keep a table."))
                return redirect("events:schedule_availability", event.identifier)
            form = AvailabilityForm(event, request.POST)
            if form.is_valid():
                schedules.set_availability(
                    registration,
                    actor=request.user,
                    slots=form.cleaned_data["slots"],
                    max_meetings=form.cleaned_data["max_meetings"],
                )
                messages.success(request, _("Your availability is saved."))
                return redirect("events:schedule_availability", event.identifier)
            status = 400
        except ValidationError as problem:
            form.add_error(None, problem)
            status = 400
    context = {
        "event": event,
        "event_title": schedule_agendas.event_title(event),
        "zone": schedule_agendas.zone_name(event),
        "registration": registration,
        "form": form,
        "is_provider": registration.side == Side.PROVIDER,
    }
    return render(request, "events/schedule/availability.html", context, status=status)


# --- review ----------------------------------------------------------------------------------------


@login_required
@require_safe
def review(request: HttpRequest, identifier: str) -> HttpResponse:
    """The provisional (or published) schedule: slots × tables, the requests not placed and why,
    and the organisers' actions. While the scheduler runs the page says so and refreshes."""
    event = _organised(request, identifier)
    run = schedules.run_state(event, consume=True)
    if run is not None and not run.running:
        (messages.error if run.error else messages.success)(request, run.message)
        run = None
    slot_list, tables, cells = schedules.grid(event)
    rows = [(slot, [(table, cells.get((slot.pk, table.pk))) for table in tables]) for slot in slot_list]
    context = {
        "event": event,
        "event_title": schedule_agendas.event_title(event),
        "zone": schedule_agendas.zone_name(event),
        "running": run is not None and run.running,
        "rows": rows,
        "tables": tables,
        "meetings": len(cells),
        "unplaced": schedules.unplaced(event),
        "build_form": BuildForm(),
        "published": event.schedule_published_at is not None,
        "participants": list(schedules.confirmed(event).select_related("fixed_table").order_by("name")),
    }
    return render(request, "events/schedule/review.html", context)


@login_required
@require_POST
def build(request: HttpRequest, identifier: str) -> HttpResponse:
    event = _organised(request, identifier)
    form = BuildForm(request.POST)
    form.is_valid()
    lock_first = event.schedule_published_at is not None and bool(form.cleaned_data.get("lock_published"))
    try:
        schedules.start_scheduling(
            event, actor=request.user, language=get_language() or "en", lock_first=lock_first
        )
    except ValidationError as problem:
        _show_problem(request, problem)
    return redirect("events:schedule", event.identifier)


def _meeting(event: Event, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("slot__event", "request"), pk=pk, slot__event=event
    )


@login_required
@require_POST
def meeting(request: HttpRequest, identifier: str, pk: int) -> HttpResponse:
    """Lock, unlock or remove one meeting."""
    event = _organised(request, identifier)
    found = _meeting(event, pk)
    action = request.POST.get("action", "")
    if action in {"lock", "unlock"}:
        schedules.set_locked(found, action == "lock", actor=request.user)
        messages.success(request, _("Meeting locked.") if action == "lock" else _("Meeting unlocked."))
    elif action == "remove":
        schedules.remove_meeting(found, actor=request.user)
        messages.success(request, _("Meeting removed; its request waits to be placed again."))
    else:
        raise Http404
    return redirect("events:schedule", event.identifier)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def move(request: HttpRequest, identifier: str, pk: int) -> HttpResponse:
    """Move one meeting to another slot or table, if both people and the table are free there."""
    event = _organised(request, identifier)
    found = _meeting(event, pk)
    form = MoveForm(event, request.POST or None, initial={"slot": found.slot_id, "table": found.table_id})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                schedules.move_meeting(
                    found,
                    slot=form.cleaned_data["slot"],
                    table=form.cleaned_data["table"],
                    actor=request.user,
                )
            except ValidationError as problem:
                form.add_error(None, problem)
            else:
                messages.success(request, _("Meeting moved and locked."))
                return redirect("events:schedule", event.identifier)
    context = {
        "event": event,
        "event_title": schedule_agendas.event_title(event),
        "meeting": found,
        "when": schedule_agendas.local_time(event, found.slot.starts_at),
        "form": form,
    }
    return render(request, "events/schedule/move.html", context, status=status)


@login_required
@require_POST
def publish(request: HttpRequest, identifier: str) -> HttpResponse:
    event = _organised(request, identifier)
    try:
        told = schedules.publish(event, actor=request.user)
    except ValidationError as problem:
        _show_problem(request, problem)
    else:
        messages.success(
            request,
            ngettext(
                "The schedule is published; %(count)s participant gets their agenda by e-mail.",
                "The schedule is published; %(count)s participants get their agenda by e-mail.",
                told,
            )
            % {"count": told},
        )
    return redirect("events:schedule", event.identifier)


# --- agendas ---------------------------------------------------------------------------------------


@login_required
@require_safe
def my_agenda(request: HttpRequest, identifier: str) -> HttpResponse:
    event = _round_table(identifier)
    registration = _participant(request, event)
    return redirect("events:schedule_agenda", event.identifier, registration.pk)


def _agenda_of(request: HttpRequest, identifier: str, registration: int) -> Registration:
    event = _round_table(identifier)
    found = get_object_or_404(
        Registration.objects.select_related("event", "person"), pk=registration, event=event
    )
    if not schedules.may_see_agenda(request.user, found):
        # Another person's agenda, or one not yet published: as if there were none.
        raise Http404
    return found


@login_required
@require_safe
def agenda(request: HttpRequest, identifier: str, registration: int) -> HttpResponse:
    found = _agenda_of(request, identifier, registration)
    context = schedule_agendas.context(found) | {
        "is_organiser": permissions.is_organiser(request.user, found.event)
    }
    return render(request, "events/schedule/agenda.html", context)


@login_required
@require_safe
def agenda_pdf(request: HttpRequest, identifier: str, registration: int) -> HttpResponse:
    found = _agenda_of(request, identifier, registration)
    try:
        document = schedule_agendas.pdf(request, found)
    except PdfUnavailableError:
        context = {"event": found.event, "registration": found}
        return render(request, "events/schedule/pdf_unavailable.html", context, status=503)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.event.identifier}-agenda.pdf"'
    return response


@login_required
@require_safe
def agenda_ical(request: HttpRequest, identifier: str, registration: int) -> HttpResponse:
    found = _agenda_of(request, identifier, registration)
    response = HttpResponse(schedule_agendas.ical(found), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.event.identifier}-agenda.ics"'
    return response


urlpatterns = [
    path("<str:identifier>/schedule/", review, name="schedule"),
    path("<str:identifier>/schedule/slots/", slots, name="schedule_slots"),
    path("<str:identifier>/schedule/build/", build, name="schedule_build"),
    path("<str:identifier>/schedule/publish/", publish, name="schedule_publish"),
    path("<str:identifier>/schedule/meetings/<int:pk>/", meeting, name="schedule_meeting"),
    path("<str:identifier>/schedule/meetings/<int:pk>/move/", move, name="schedule_move"),
    path("<str:identifier>/availability/", availability, name="schedule_availability"),
    path("<str:identifier>/agenda/", my_agenda, name="schedule_my_agenda"),
    path("<str:identifier>/agenda/<int:registration>/", agenda, name="schedule_agenda"),
    path("<str:identifier>/agenda/<int:registration>/pdf/", agenda_pdf, name="schedule_agenda_pdf"),
    path("<str:identifier>/agenda/<int:registration>/ical/", agenda_ical, name="schedule_agenda_ical"),
]
