"""Pages of registration: registering, the person's own registration (also by the e-mailed link,
without an account), nominating, and the organiser's settings, questions and participants.
Views parse and render; registration.py decides."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.accounts.models import User
from clearinghouse.core.forms import add_service_errors, form_status
from clearinghouse.events import permissions
from clearinghouse.events import registration as services
from clearinghouse.events.models import (
    Event,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
)
from clearinghouse.events.registration_forms import (
    DecisionForm,
    NominationForm,
    QuestionForm,
    RegistrationForm,
    RoleForm,
    SettingsForm,
)

PAGE_SIZE = 50


def _event(request: HttpRequest, identifier: str) -> Event:
    """The event, when it is published or the reader organises it."""
    event = get_object_or_404(Event, identifier=identifier)
    if not event.live and not permissions.is_organiser(request.user, event):
        raise Http404
    return event


def _organised(request: HttpRequest, identifier: str) -> Event:
    event = get_object_or_404(Event, identifier=identifier)
    if not permissions.is_organiser(request.user, event):
        raise PermissionDenied(_("Only the event's organisers manage its registration."))
    return event


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _language(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "") or "en"


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _page(event: Event) -> str:
    return reverse("events:register", args=[event.identifier])


def _say_outcome(request: HttpRequest, outcome: services.Outcome) -> None:
    registration = outcome.registration
    if registration.status == RegistrationStatus.WAITLISTED:
        messages.info(
            request,
            _(
                "All places are taken: you are on the waiting list, at position %(position)s. "
                "You will be offered a place by e-mail when one frees."
            )
            % {"position": outcome.position},
        )
    elif registration.status == RegistrationStatus.PENDING:
        messages.success(
            request, _("Registered: the organisers review each registration, and you will hear from them.")
        )
    else:
        messages.success(request, _("You are registered. A confirmation is on its way by e-mail."))


@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest, identifier: str) -> HttpResponse:
    """The registration page: where the person stands, and the form when they may register."""
    event = _event(request, identifier)
    services.refresh(event)
    user = _user(request)
    form = RegistrationForm(request.POST or None, event=event, with_identity=user is None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = services.register(
                event,
                person=user,
                name=data.get("name", ""),
                email=data.get("email", ""),
                facts=form.facts(),
                answers=form.answers(),
                consents=form.consents(),
                language=_language(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _say_outcome(request, outcome)
            if user is None:
                # Without an account, the page of their registration is behind its own link.
                return redirect("events:registration_manage", services.token_for(outcome.registration))
            return redirect(_page(event))
    show_form = (
        event.live
        and not services.closed_reason(event)
        and (request.method == "POST" or services.active_registration(event, person=user) is None)
    )
    return render(
        request,
        "events/registration/register.html",
        {"event": event, "form": form, "show_form": show_form},
        status=form_status(form),
    )


@login_required
@require_POST
def own_action(request: HttpRequest, identifier: str, action: str) -> HttpResponse:
    """The signed-in person takes or lets go an offered place, or cancels."""
    event = _event(request, identifier)
    registration = services.latest_registration(event, signed_in(request))
    if registration is None:
        raise Http404
    _act(request, registration, action, actor=signed_in(request))
    return redirect(_page(event))


def _act(request: HttpRequest, registration: Registration, action: str, *, actor: User | None) -> None:
    try:
        if action == "take":
            registration = services.take_offer(registration)
            messages.success(request, _("The place is yours."))
        elif action == "let-go":
            services.let_offer_go(registration)
            messages.success(request, _("You let the place go: it is offered to the next person waiting."))
        elif action == "cancel":
            services.cancel(registration, actor=actor)
            messages.success(request, _("Your registration is cancelled."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _error_text(error))


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """A registration by its e-mailed link: see it, take or let go an offered place, cancel, or
    complete a nomination. Works without an account."""
    try:
        registration = services.from_token(token)
    except ValidationError as error:
        raise Http404(_error_text(error)) from error
    event = registration.event
    services.refresh(event)
    registration.refresh_from_db()
    form = None
    if registration.status == RegistrationStatus.NOMINATED:
        form = RegistrationForm(request.POST or None, event=event, with_identity=False)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "complete" and form is not None:
            if form.is_valid():
                try:
                    outcome = services.complete_nomination(
                        registration,
                        person=_user(request),
                        facts=form.facts(),
                        answers=form.answers(),
                        consents=form.consents(),
                        language=_language(request),
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    _say_outcome(request, outcome)
                    return redirect("events:registration_manage", token)
        else:
            _act(request, registration, action, actor=None)
            return redirect("events:registration_manage", token)
    return render(
        request,
        "events/registration/manage.html",
        {
            "event": event,
            "registration": registration,
            "position": services.position(registration),
            "form": form,
            "token": token,
            "offer_until": (
                timezone.localtime(registration.offer_expires_at, event.zone)
                if registration.offer_expires_at
                else None
            ),
            "zone": event.time_zone or "UTC",
            "event_started": event.starts_at is not None and event.starts_at <= timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def nominate(request: HttpRequest, identifier: str) -> HttpResponse:
    """A focal point nominates people of their Party and sees their Party's nominations."""
    event = _event(request, identifier)
    user = signed_in(request)
    if not permissions.may_nominate(user, event):
        raise PermissionDenied(
            _("Only national focal points nominate participants, when the event takes nominations.")
        )
    form = NominationForm(request.POST or None, countries=permissions.nominating_countries(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nominated = services.nominate(
                event,
                actor=user,
                country=data["country"],
                name=data["name"],
                email=data["email"],
                funded=data["funded"],
                language=_language(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is nominated and will receive a link to complete the registration.")
                % {"name": nominated.name},
            )
            return redirect("events:registration_nominate", event.identifier)
    rows = [
        {"registration": item, "position": services.position(item)}
        for item in services.nominations(event, user).select_related("nominated_for")
    ]
    return render(request, "events/registration/nominate.html", {"event": event, "form": form, "rows": rows})


@login_required
@require_POST
def withdraw(request: HttpRequest, identifier: str, pk: int) -> HttpResponse:
    event = _event(request, identifier)
    registration = get_object_or_404(event.registrations, pk=pk)
    try:
        services.withdraw_nomination(registration, actor=signed_in(request))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The nomination is withdrawn."))
    return redirect("events:registration_nominate", event.identifier)


# --- the organiser ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_page(request: HttpRequest, identifier: str) -> HttpResponse:
    event = _organised(request, identifier)
    form = SettingsForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            offered = services.update_settings(event, actor=signed_in(request), values=form.settings())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The registration settings are saved."))
            if offered:
                messages.info(
                    request,
                    ngettext(
                        "%(count)s place was offered to the next person waiting.",
                        "%(count)s places were offered to the next people waiting.",
                        len(offered),
                    )
                    % {"count": len(offered)},
                )
            return redirect("events:registration_settings", event.identifier)
    return render(request, "events/registration/settings.html", {"event": event, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def questions(request: HttpRequest, identifier: str) -> HttpResponse:
    event = _organised(request, identifier)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(event, actor=signed_in(request), values=form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The question is added."))
            return redirect("events:registration_questions", event.identifier)
    rows = [
        {"question": question, "text": services.question_text(question)} for question in event.questions.all()
    ]
    return render(request, "events/registration/questions.html", {"event": event, "form": form, "rows": rows})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def question(request: HttpRequest, identifier: str, pk: int) -> HttpResponse:
    event = _organised(request, identifier)
    item = get_object_or_404(RegistrationQuestion, event=event, pk=pk)
    form = QuestionForm.for_question(item, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_question(item, actor=signed_in(request), values=form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("events:registration_questions", event.identifier)
    return render(
        request, "events/registration/question.html", {"event": event, "form": form, "question": item}
    )


@login_required
@require_POST
def question_action(request: HttpRequest, identifier: str, pk: int, action: str) -> HttpResponse:
    event = _organised(request, identifier)
    item = get_object_or_404(RegistrationQuestion, event=event, pk=pk)
    if action in ("up", "down"):
        services.move_question(item, actor=signed_in(request), up=action == "up")
    elif action == "remove":
        services.remove_question(item, actor=signed_in(request))
        messages.success(request, _("The question is removed; the answers already given stay readable."))
    else:
        raise Http404
    return redirect("events:registration_questions", event.identifier)


_ORDER: dict[str, int] = {
    RegistrationStatus.OFFERED: 2,
    RegistrationStatus.PENDING: 1,
    RegistrationStatus.CONFIRMED: 0,
    RegistrationStatus.WAITLISTED: 3,
    RegistrationStatus.NOMINATED: 4,
}


@login_required
@require_safe
def participants(request: HttpRequest, identifier: str) -> HttpResponse:
    """Everyone registered, with their status, facts and answers, the waiting list in its order,
    and what the organiser can do with each."""
    event = _organised(request, identifier)
    services.refresh(event)
    counts = event.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        pending=Count("pk", filter=Q(status=RegistrationStatus.PENDING)),
        offered=Count("pk", filter=Q(status=RegistrationStatus.OFFERED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        nominated=Count("pk", filter=Q(status=RegistrationStatus.NOMINATED)),
    )
    show = request.GET.get("show", "active")
    registrations = event.registrations.select_related("country", "nominated_for")
    if show != "all":
        registrations = registrations.filter(status__in=_ORDER.keys())
    waiting = {item.pk: number for number, item in enumerate(services.waiting_list(event), start=1)}
    ordered = sorted(
        registrations,
        key=lambda item: (_ORDER.get(item.status, 9), waiting.get(item.pk) or 0, item.name.lower()),
    )
    rows: list[dict[str, Any]] = [
        {"registration": item, "position": waiting.get(item.pk), "answers": services.shown_answers(item)}
        for item in ordered
    ]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/registration/participants.html",
        {
            "event": event,
            "counts": counts,
            "free": services.free_places(event),
            "page": page,
            "show": show,
            "decision": DecisionForm(),
            "role_form": RoleForm(),
        },
    )


@login_required
@require_POST
def participant_action(request: HttpRequest, identifier: str, pk: int, action: str) -> HttpResponse:
    event = _organised(request, identifier)
    registration = get_object_or_404(event.registrations, pk=pk)
    actor = signed_in(request)
    decision = DecisionForm(request.POST)
    message = decision.cleaned_data["message"] if decision.is_valid() else ""
    try:
        if action == "approve":
            services.approve(registration, actor=actor, message=message)
            messages.success(request, _("%(name)s is approved.") % {"name": registration.name})
        elif action == "decline":
            services.decline(registration, actor=actor, message=message)
            messages.success(request, _("%(name)s is declined.") % {"name": registration.name})
        elif action == "cancel":
            services.cancel(registration, actor=actor)
            messages.success(
                request, _("The registration of %(name)s is cancelled.") % {"name": registration.name}
            )
        elif action == "role":
            form = RoleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose one of the roles given."))
            services.set_role(registration, actor=actor, role=form.cleaned_data["role"])
            messages.success(request, _("The role is saved."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("events:registration_participants", event.identifier)


@login_required
@require_POST
def offer_next(request: HttpRequest, identifier: str) -> HttpResponse:
    event = _organised(request, identifier)
    try:
        offered = services.offer_next(event, actor=signed_in(request))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s place was offered to the next person waiting.",
                "%(count)s places were offered to the next people waiting.",
                len(offered),
            )
            % {"count": len(offered)},
        )
    return redirect("events:registration_participants", event.identifier)


# --- everyone -----------------------------------------------------------------------------------


@require_safe
def public_list(request: HttpRequest, identifier: str) -> HttpResponse:
    """Those confirmed who agreed to be listed: name, organisation and country, nothing else."""
    event = _event(request, identifier)
    listed = (
        event.registrations.filter(listed=True, status=RegistrationStatus.CONFIRMED)
        .select_related("country")
        .order_by("name")
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/registration/public_list.html", {"event": event, "page": page})


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The person's registrations: by their account, or made with their e-mail address."""
    user = signed_in(request)
    registrations = (
        Registration.objects.filter(Q(person=user) | Q(email__iexact=user.email))
        .select_related("event")
        .order_by("-event__starts_at", "-pk")
    )
    page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "registration": item,
            "position": services.position(item),
            "url": _page(item.event),
            "starts": timezone.localtime(item.event.starts_at, item.event.zone)
            if item.event.starts_at
            else None,
            "zone": item.event.time_zone or "UTC",
        }
        for item in page
    ]
    return render(request, "events/registration/mine.html", {"page": page, "rows": rows})


urlpatterns = [
    path("mine/registrations/", mine, name="registration_mine"),
    path("registration/<str:token>/", manage, name="registration_manage"),
    path("<str:identifier>/register/", register, name="register"),
    path("<str:identifier>/register/<slug:action>/", own_action, name="registration_own"),
    path("<str:identifier>/nominate/", nominate, name="registration_nominate"),
    path("<str:identifier>/nominations/<int:pk>/withdraw/", withdraw, name="registration_withdraw"),
    path("<str:identifier>/participants/", public_list, name="registration_list"),
    path("<str:identifier>/registration/settings/", settings_page, name="registration_settings"),
    path("<str:identifier>/registration/questions/", questions, name="registration_questions"),
    path("<str:identifier>/registration/questions/<int:pk>/", question, name="registration_question"),
    path(
        "<str:identifier>/registration/questions/<int:pk>/<slug:action>/",
        question_action,
        name="registration_question_action",
    ),
    path("<str:identifier>/registration/participants/", participants, name="registration_participants"),
    path("<str:identifier>/registration/offer-next/", offer_next, name="registration_offer_next"),
    path(
        "<str:identifier>/registration/participants/<int:pk>/<slug:action>/",
        participant_action,
        name="registration_participant_action",
    ),
]
