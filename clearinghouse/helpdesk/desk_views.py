"""Desk management pages: the list of desks, a desk's settings (Secretariat), its calendar,
closed days and service levels (Secretariat and the desk's leads), and the help topics."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.params import whole_number
from clearinghouse.helpdesk import canned, desks
from clearinghouse.helpdesk.desk_forms import (
    CalendarForm,
    ClosureForm,
    DeskForm,
    LevelForm,
    TopicForm,
    names_of,
)
from clearinghouse.helpdesk.models import Desk, HelpTopic

DESK_FIELDS = ("code", "is_central", "host", "email", "languages", "regions", "active")


def _refused(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: each message on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@login_required
def desk_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not canned.is_agent(user):
        raise PermissionDenied
    # Agents see the desks they lead (perhaps none); the Secretariat sees every desk.
    shown = (
        desks.managed_desks(user).prefetch_related("agents", "leads", "service_levels").select_related("host")
    )
    return render(request, "helpdesk/desks.html", {"desks": shown, "may_manage": desks.may_manage(user)})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def desk_new(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not desks.may_manage(user):
        raise PermissionDenied
    form = DeskForm(request.POST or None, initial={"languages": ["en"], "active": True})
    if request.method == "POST" and form.is_valid():
        desk = _save_settings(form, None, user)
        if desk is not None:
            messages.success(request, _("The desk is set up; now give it its hours and service levels."))
            return redirect("helpdesk:desk_edit", desk.code)
    return render(request, "helpdesk/desk_form.html", {"settings_form": form, "desk": None})


def _save_settings(form: DeskForm, desk: Desk | None, user: Any) -> Desk | None:
    data = form.cleaned_data
    try:
        return desks.save_desk(
            desk,
            actor=user,
            fields={**{name: data[name] for name in DESK_FIELDS}, "name": names_of(data)},
            countries=data["countries"],
            topics=data["topics"],
            agents=data["agents"],
            leads=data["leads"],
        )
    except ValidationError as refused:
        _refused(form, refused)
        return None


def _settings_form(desk: Desk, data: Any = None) -> DeskForm:
    initial = {name: getattr(desk, name) for name in DESK_FIELDS}
    initial.update(
        countries=list(desk.countries.all()),
        topics=list(desk.topics.all()),
        agents=list(desk.agents.all()),
        leads=list(desk.leads.all()),
    )
    return DeskForm(data, initial=initial, names=desk.name)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def desk_edit(request: HttpRequest, code: str) -> HttpResponse:
    """One desk's page: each section is its own form, named by ``part``."""
    user = signed_in(request)
    desk = get_object_or_404(Desk, code=code)
    if not desks.may_keep_calendar(user, desk):
        raise PermissionDenied
    manager = desks.may_manage(user)
    part = request.POST.get("part", "") if request.method == "POST" else ""
    if part == "settings" and not manager:
        raise PermissionDenied
    settings_form = _settings_form(desk, request.POST if part == "settings" else None) if manager else None
    calendar_form = CalendarForm(
        request.POST if part == "calendar" else None,
        initial={"time_zone": desk.time_zone, "holiday_country": desk.holiday_country},
        hours=desk.opening_hours,
    )
    closure_form = ClosureForm(request.POST if part == "closure" else None, prefix="closure")
    level_form = LevelForm(request.POST if part == "level" else None, prefix="level")
    done = ""
    try:
        if part == "settings" and settings_form is not None and settings_form.is_valid():
            saved = _save_settings(settings_form, desk, user)
            if saved is not None:
                desk, done = saved, _("The desk's settings are saved.")
        elif part == "calendar" and calendar_form.is_valid():
            hours = calendar_form.opening_hours()
            if calendar_form.is_valid():
                data = calendar_form.cleaned_data
                desks.set_calendar(
                    desk,
                    actor=user,
                    time_zone=data["time_zone"],
                    opening_hours=hours,
                    holiday_country=data["holiday_country"],
                )
                done = _("The desk's hours are saved. Open tickets keep their due times.")
        elif part == "closure" and closure_form.is_valid():
            desks.add_closure(desk, actor=user, **closure_form.cleaned_data)
            done = _("The closed day is added.")
        elif part == "closure_remove":
            desks.remove_closure(desk, actor=user, closure_id=whole_number(request.POST, "closure") or 0)
            done = _("The closed day is removed.")
        elif part == "level" and level_form.is_valid():
            desks.save_level(desk, actor=user, **level_form.cleaned_data)
            done = _("The service level is saved. Open tickets keep their due times.")
        elif part == "level_remove":
            desks.remove_level(desk, actor=user, level_id=whole_number(request.POST, "level") or 0)
            done = _("The service level is removed.")
    except ValidationError as refused:
        form = {"calendar": calendar_form, "closure": closure_form, "level": level_form}.get(part)
        if form is None:
            raise
        _refused(form, refused)
    if done:
        messages.success(request, done)
        return redirect("helpdesk:desk_edit", desk.code)
    return render(
        request,
        "helpdesk/desk_form.html",
        {
            "desk": desk,
            "settings_form": settings_form,
            "calendar_form": calendar_form,
            "closure_form": closure_form,
            "level_form": level_form,
            "levels": desk.service_levels.select_related("topic").order_by("topic__position", "pk"),
            "closures": desk.closures.all(),
            "part": part,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def topic_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not desks.may_manage(user):
        raise PermissionDenied
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _save_topic(form, None, user):
        messages.success(request, _("The help topic is added."))
        return redirect("helpdesk:topics")
    return render(request, "helpdesk/desks_topics.html", {"topics": HelpTopic.objects.all(), "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    if not desks.may_manage(user):
        raise PermissionDenied
    topic = get_object_or_404(HelpTopic, pk=pk)
    initial = {name: getattr(topic, name) for name in ("code", "active", "position", "leads_to_matchmaking")}
    form = TopicForm(request.POST or None, initial=initial, names=topic.name)
    if request.method == "POST" and form.is_valid() and _save_topic(form, topic, user):
        messages.success(request, _("The help topic is saved."))
        return redirect("helpdesk:topics")
    return render(request, "helpdesk/desks_topic.html", {"topic": topic, "form": form})


def _save_topic(form: TopicForm, topic: HelpTopic | None, user: Any) -> HelpTopic | None:
    data = form.cleaned_data
    fields = {name: data[name] for name in ("code", "active", "position", "leads_to_matchmaking")}
    try:
        return desks.save_topic(topic, actor=user, fields={**fields, "name": names_of(data)})
    except ValidationError as refused:
        _refused(form, refused)
        return None
