"""Registration for events: who registers, who gets the places, and who waits (the pretix
pattern), approval by the organiser, and nomination by national focal points.

Every service here is atomic and counts places with the event's row locked, so two people
taking the last place at once cannot both get it. Bad input raises ``ValidationError`` with a
message in the reader's language; nothing is saved then. E-mails leave after the commit.

A place is taken by a confirmed, pending (waiting for approval) or offered registration. When
a place frees, the first on the waiting list (highest priority, then the longest waiting) is
offered it for ``event.seat_offer_hours``; an offer that lapses goes to the next.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clearinghouse.accounts.models import User
from clearinghouse.core.languages import content_language, pick_label
from clearinghouse.events import permissions, registration_mail
from clearinghouse.events.models import (
    ACTIVE_STATUSES,
    SEATED_STATUSES,
    Event,
    Gender,
    ParticipantRole,
    QuestionKind,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
    Sector,
)
from clearinghouse.geo.models import Country

# Nominated participants come before everyone who registered on their own.
NOMINATION_PRIORITY = 10
# More places than any venue or webinar has; beyond it, a typing mistake.
MAX_PLACES = 100_000
_LINK_SALT = "clearinghouse.events.registration"
# The statuses in which the person may still cancel or be declined.
_CANCELLABLE = ACTIVE_STATUSES


@dataclass(frozen=True)
class Facts:
    """What the plan's indicators are disaggregated by."""

    country: Country | None = None
    organisation_name: str = ""
    gender: str = ""
    represents_iplc: bool = False
    youth: bool = False
    sector: str = ""


@dataclass(frozen=True)
class Consents:
    """Per person and per event: appear in the public list; be contacted after the event."""

    listed: bool = False
    contactable: bool = False


@dataclass(frozen=True)
class Outcome:
    """What a registration came to, for the message the person reads."""

    registration: Registration
    # On the waiting list: the person's place in it (1 is next).
    position: int | None = None
    offered: list[Registration] = field(default_factory=list)


# --- reading ------------------------------------------------------------------------------------


def seated_count(event: Event) -> int:
    return event.registrations.filter(status__in=SEATED_STATUSES).count()


def free_places(event: Event) -> int | None:
    """Places nobody holds (None: no limit)."""
    if event.capacity is None:
        return None
    return max(event.capacity - seated_count(event), 0)


def waiting_list(event: Event) -> QuerySet[Registration]:
    """The waiting list in the order places are offered."""
    return event.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
        "-priority", "waitlisted_at", "pk"
    )


def position(registration: Registration) -> int | None:
    """Where the registration stands on its event's waiting list (1 is next), or None."""
    if registration.status != RegistrationStatus.WAITLISTED or registration.waitlisted_at is None:
        return None
    ahead = (
        Q(priority__gt=registration.priority)
        | Q(priority=registration.priority, waitlisted_at__lt=registration.waitlisted_at)
        | Q(priority=registration.priority, waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
    )
    return (
        Registration.objects.filter(event_id=registration.event_id, status=RegistrationStatus.WAITLISTED)
        .filter(ahead)
        .count()
        + 1
    )


def active_registration(event: Event, *, person: Any = None, email: str = "") -> Registration | None:
    """The person's registration that holds or waits for a place, by account or e-mail."""
    wanted = Q(pk__in=[])
    if getattr(person, "is_authenticated", False):
        wanted |= Q(person=person)
        email = email or person.email
    if email:
        wanted |= Q(email__iexact=email.strip())
    return event.registrations.filter(wanted, status__in=ACTIVE_STATUSES).order_by("pk").first()


def latest_registration(event: Event, person: Any) -> Registration | None:
    """The person's registration (active first, else the latest) for the panel to speak of."""
    if not getattr(person, "is_authenticated", False):
        return None
    found = active_registration(event, person=person)
    if found is not None:
        return found
    return event.registrations.filter(person=person).order_by("-pk").first()


def has_registrations(user: Any) -> bool:
    """Whether "My registrations" has anything for the person (read once per request: the
    header asks it)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached: bool | None = getattr(user, "_has_event_registrations", None)
    if cached is None:
        wanted = Q(person=user) | Q(email__iexact=user.email) if user.email else Q(person=user)
        cached = Registration.objects.filter(wanted).exists()
        user._has_event_registrations = cached
    return cached


# --- tokens: the link in every e-mail, for people with or without an account --------------------


def token_for(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=_LINK_SALT)


def from_token(token: str) -> Registration:
    """The registration a link names; a link changed or made up is refused."""
    try:
        pk = signing.loads(token, salt=_LINK_SALT)
    except signing.BadSignature as error:
        raise ValidationError(_("This link is not valid."), code="token") from error
    found = Registration.objects.select_related("event", "person").filter(pk=pk).first()
    if found is None:
        raise ValidationError(_("This link is not valid."), code="token")
    return found


# --- the questions' answers ---------------------------------------------------------------------


def question_text(question: RegistrationQuestion, language: str | None = None) -> str:
    return pick_label(question.text, language) or str(question.pk)


def _clean_answers(event: Event, raw: Mapping[int, Any]) -> dict[str, Any]:
    """Check the answers against the event's questions and store each with its question's
    words, so that removing or rewording a question later keeps the answer readable."""
    errors: dict[str, list[ValidationError]] = {}
    stored: dict[str, Any] = {}
    for question in event.questions.all():
        value = raw.get(question.pk)
        key = f"question_{question.pk}"
        blank = value in (None, "", [], ())
        if blank:
            if question.required:
                errors[key] = [ValidationError(_("Answer this question."), code="required")]
            continue
        try:
            answer = _answer(question, value)
        except ValidationError as error:
            errors[key] = [error]
            continue
        stored[str(question.pk)] = {"question": dict(question.text), "kind": question.kind, "answer": answer}
    if errors:
        raise ValidationError(errors)
    return stored


def _answer(question: RegistrationQuestion, value: Any) -> Any:
    if question.kind == QuestionKind.TEXT:
        text = str(value).strip()
        if len(text) > 2000:
            raise ValidationError(_("Keep the answer under 2,000 characters."), code="length")
        return text
    if question.kind == QuestionKind.YES_NO:
        if value in (True, "yes", "true", "1"):
            return True
        if value in (False, "no", "false", "0"):
            return False
        raise ValidationError(_("Answer yes or no."), code="yes_no")
    picked = [value] if question.kind == QuestionKind.CHOICE else list(value)
    if question.kind == QuestionKind.CHOICE and isinstance(value, list | tuple):
        raise ValidationError(_("Choose one of the answers given."), code="choice")
    labels = []
    for item in picked:
        text = str(item).strip()
        # Plain digits only: int() would also read other scripts' digits and huge numbers.
        index = int(text) if text.isascii() and text.isdigit() and len(text) < 6 else -1
        if not 0 <= index < len(question.choices):
            raise ValidationError(_("Choose among the answers given."), code="choice")
        labels.append(dict(question.choices[index]))
    return labels[0] if question.kind == QuestionKind.CHOICE else labels


def shown_answers(registration: Registration, language: str | None = None) -> list[tuple[str, str]]:
    """The registration's answers as (question, answer) in the reader's language."""
    shown = []
    for item in registration.answers.values():
        answer = item.get("answer")
        if isinstance(answer, bool):
            text = _("Yes") if answer else _("No")
        elif isinstance(answer, dict):
            text = pick_label(answer, language)
        elif isinstance(answer, list):
            text = ", ".join(pick_label(choice, language) for choice in answer)
        else:
            text = str(answer)
        shown.append((pick_label(item.get("question") or {}, language), text))
    return shown


def _check_facts(facts: Facts) -> None:
    errors = {}
    if facts.gender and facts.gender not in Gender.values:
        errors["gender"] = _("Choose one of the genders given.")
    if facts.sector and facts.sector not in Sector.values:
        errors["sector"] = _("Choose one of the sectors given.")
    if len(facts.organisation_name) > 300:
        errors["organisation_name"] = _("Keep the organisation's name under 300 characters.")
    if errors:
        raise ValidationError(errors)


# --- places: filling, offering, lapsing -------------------------------------------------------


def _locked(event: Event) -> Event:
    """The event's row locked until the transaction ends: places are counted one at a time."""
    return Event.objects.select_for_update().get(pk=event.pk)


def _fill(event: Event, now: datetime) -> list[Registration]:
    """Offer the free places to the first on the waiting list, never more than are free.
    Call inside a transaction with the event locked."""
    offered: list[Registration] = []
    free = free_places(event)
    queue = waiting_list(event)
    if free is not None:
        queue = queue[:free]
    until = now + timedelta(hours=event.seat_offer_hours)
    # A place offered the day before the event is held until it starts, not beyond.
    if event.starts_at is not None and now < event.starts_at < until:
        until = event.starts_at
    for registration in queue:
        registration.status = RegistrationStatus.OFFERED
        registration.offer_expires_at = until
        registration.save(update_fields=["status", "offer_expires_at"])
        offered.append(registration)
    return offered


def _lapse(event: Event, now: datetime) -> list[Registration]:
    lapsed = list(event.registrations.filter(status=RegistrationStatus.OFFERED, offer_expires_at__lte=now))
    for registration in lapsed:
        registration.status = RegistrationStatus.EXPIRED
        registration.save(update_fields=["status"])
    return lapsed


def _after_commit(send: Callable[[], None]) -> None:
    transaction.on_commit(send)


def _tell_lapsed(lapsed: list[Registration]) -> None:
    for registration in lapsed:
        _after_commit(partial(registration_mail.lapsed, registration))


def _tell_offered(offered: list[Registration]) -> None:
    for registration in offered:
        _after_commit(partial(registration_mail.offered, registration))


def refresh(event: Event, now: datetime | None = None) -> list[Registration]:
    """Lapse the offers past their time and offer the free places to the next on the waiting
    list. Run by the periodic job and whenever a registration page is read; returns those
    offered a place."""
    now = now or timezone.now()
    lapsing = event.registrations.filter(status=RegistrationStatus.OFFERED, offer_expires_at__lte=now)
    # Reading a page takes the lock only when there is something to do.
    if not lapsing.exists() and not (waiting_list(event).exists() and free_places(event) != 0):
        return []
    with transaction.atomic():
        event = _locked(event)
        lapsed = _lapse(event, now)
        offered = _fill(event, now) if not event.is_past(now) else []
    _tell_lapsed(lapsed)
    _tell_offered(offered)
    return offered


def offer_next(event: Event, *, actor: User) -> list[Registration]:
    """The organiser offers the free places now (the job would do it within minutes)."""
    _organiser(actor, event)
    with transaction.atomic():
        locked = _locked(event)
        if not waiting_list(locked).exists():
            raise ValidationError(_("Nobody is on the waiting list."), code="empty")
        if free_places(locked) == 0:
            raise ValidationError(_("No place is free to offer."), code="full")
        offered = _fill(locked, timezone.now())
    _tell_offered(offered)
    return offered


# --- registering --------------------------------------------------------------------------------


def closed_reason(event: Event, now: datetime | None = None) -> str:
    """Why nobody can register now: past, not yet open, closed, or '' when open."""
    now = now or timezone.now()
    if event.is_past(now) or (event.starts_at is not None and event.starts_at <= now):
        return "past"
    if event.registration_opens_at is None:
        return "none"
    if event.registration_opens_at > now:
        return "not_yet"
    if event.registration_closes_at is not None and event.registration_closes_at <= now:
        return "closed"
    return ""


def _check_open(event: Event, now: datetime) -> None:
    if not event.live:
        raise ValidationError(_("This event is not published: nobody can register yet."), code="unpublished")
    if event.is_past(now) or (event.starts_at is not None and event.starts_at <= now):
        raise ValidationError(_("This event has already taken place."), code="past")
    if event.registration_opens_at is None:
        raise ValidationError(_("Registration for this event is not open."), code="not_open")
    if event.registration_opens_at > now:
        raise ValidationError(_("Registration is not open yet."), code="not_open")
    if event.registration_closes_at is not None and event.registration_closes_at <= now:
        raise ValidationError(_("Registration has closed."), code="closed")


def _already() -> ValidationError:
    return ValidationError(
        _("This person is already registered for this event."),
        code="already_registered",
    )


def _seat_or_wait(registration: Registration, event: Event, now: datetime, *, approval: bool) -> None:
    """Give the registration a place when one is free and nobody waits before it, else put it
    on the waiting list."""
    free = free_places(event)
    queue = waiting_list(event).exclude(pk=registration.pk)
    before = queue.filter(priority__gte=registration.priority)
    if free is None or free > before.count():
        registration.status = RegistrationStatus.PENDING if approval else RegistrationStatus.CONFIRMED
        registration.waitlisted_at = None
    else:
        registration.status = RegistrationStatus.WAITLISTED
        registration.waitlisted_at = now


def register(
    event: Event,
    *,
    person: User | None,
    name: str = "",
    email: str = "",
    facts: Facts,
    answers: Mapping[int, Any],
    consents: Consents,
    language: str,
) -> Outcome:
    """Register a person for the event: a signed-in person with their account's name and
    e-mail, or, for a published event, someone without an account who gives both. Confirmed,
    pending the organiser's approval, or on the waiting list when the places are taken."""
    now = timezone.now()
    if person is not None:
        name = person.get_full_name() or person.username
        email = person.email
    name, email = name.strip(), email.strip()
    errors = {}
    if not name:
        errors["name"] = _("Give your name.")
    if not email:
        errors["email"] = _("Give your e-mail address.")
    if errors:
        raise ValidationError(errors)
    _check_facts(facts)
    try:
        with transaction.atomic():
            event = _locked(event)
            _check_open(event, now)
            if active_registration(event, person=person, email=email) is not None:
                raise _already()
            cleaned = _clean_answers(event, answers)
            lapsed = _lapse(event, now)
            registration = Registration(
                event=event,
                person=person,
                name=name[:200],
                email=email,
                language=language,
                answers=cleaned,
                listed=consents.listed,
                contactable=consents.contactable,
                **_facts_values(facts),
            )
            _seat_or_wait(registration, event, now, approval=event.requires_approval)
            registration.full_clean(exclude=["code", "person", "event", "country"])
            registration.save()
            offered = _fill(event, now)
    except IntegrityError as error:
        # Two requests at once from the same person: the database's constraint said no.
        raise _already() from error
    _after_commit(lambda: registration_mail.registered(registration))
    _tell_lapsed(lapsed)
    _tell_offered(offered)
    return Outcome(registration, position(registration), offered)


def _facts_values(facts: Facts) -> dict[str, Any]:
    return {
        "country": facts.country,
        "organisation_name": facts.organisation_name.strip()[:300],
        "gender": facts.gender,
        "represents_iplc": facts.represents_iplc,
        "youth": facts.youth,
        "sector": facts.sector,
    }


# --- the person's side of an offer, and cancelling ------------------------------------------------


def take_offer(registration: Registration) -> Registration:
    """Take the offered place: confirmed, or pending when the organiser approves each one."""
    now = timezone.now()
    with transaction.atomic():
        _locked(registration.event)
        registration = (
            Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        )
        if registration.status != RegistrationStatus.OFFERED:
            raise ValidationError(_("No place is offered to you now."), code="not_offered")
        if registration.offer_expires_at is not None and registration.offer_expires_at <= now:
            raise ValidationError(
                _("The time to take this place has passed: it went to the next person waiting."),
                code="lapsed",
            )
        approval = registration.event.requires_approval and not registration.nominated_for_id
        registration.status = RegistrationStatus.PENDING if approval else RegistrationStatus.CONFIRMED
        registration.offer_expires_at = None
        registration.save(update_fields=["status", "offer_expires_at"])
    _after_commit(lambda: registration_mail.registered(registration))
    return registration


def let_offer_go(registration: Registration) -> Registration:
    """Leave the offered place to the next person waiting."""
    return _end(registration, RegistrationStatus.CANCELLED, allowed=(RegistrationStatus.OFFERED,))


def cancel(registration: Registration, *, actor: User | None) -> Registration:
    """Cancel a registration: the person's own (``actor`` None when they come by their e-mailed
    link) or by the organiser. Frees its place for the next person waiting."""
    if actor is not None and not (
        permissions.is_participant(actor, registration) or permissions.is_organiser(actor, registration.event)
    ):
        raise PermissionDenied(_("Only the person or the event's organisers cancel a registration."))
    by_organiser = actor is not None and not permissions.is_participant(actor, registration)
    return _end(
        registration,
        RegistrationStatus.CANCELLED,
        allowed=_CANCELLABLE,
        notify=registration_mail.cancelled if by_organiser else None,
    )


def _end(
    registration: Registration,
    status: RegistrationStatus,
    *,
    allowed: tuple[RegistrationStatus, ...],
    message: str = "",
    notify: Callable[[Registration, str], None] | None = None,
) -> Registration:
    now = timezone.now()
    with transaction.atomic():
        event = _locked(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status not in allowed:
            raise ValidationError(
                _("This registration is %(status)s: it cannot be changed that way.")
                % {"status": registration.get_status_display().lower()},
                code="status",
            )
        registration.status = status
        registration.offer_expires_at = None
        registration.save(update_fields=["status", "offer_expires_at"])
        offered = _fill(event, now) if not event.is_past(now) else []
    if notify is not None:
        _after_commit(lambda: notify(registration, message))
    _tell_offered(offered)
    return registration


# --- the organiser ------------------------------------------------------------------------------


def _organiser(actor: Any, event: Event) -> None:
    if not permissions.is_organiser(actor, event):
        raise PermissionDenied(_("Only the event's organisers manage its registration."))


def approve(registration: Registration, *, actor: User, message: str = "") -> Registration:
    """Approve a registration waiting for the organiser: confirmed, and told so."""
    _organiser(actor, registration.event)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != RegistrationStatus.PENDING:
            raise ValidationError(
                _("Only a registration waiting for approval can be approved."), code="status"
            )
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status"])
    _after_commit(lambda: registration_mail.approved(registration, message.strip()))
    return registration


def decline(registration: Registration, *, actor: User, message: str = "") -> Registration:
    """Decline a registration (waiting for approval, or on the waiting list), with a message;
    its place goes to the next person waiting."""
    _organiser(actor, registration.event)
    return _end(
        registration,
        RegistrationStatus.DECLINED,
        allowed=(RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED, RegistrationStatus.OFFERED),
        message=message.strip(),
        notify=registration_mail.declined,
    )


def set_role(registration: Registration, *, actor: User, role: str) -> Registration:
    """The organiser says who trains, speaks or organises; everyone else participates."""
    _organiser(actor, registration.event)
    if role not in ParticipantRole.values:
        raise ValidationError(_("Choose one of the roles given."), code="role")
    Registration.objects.filter(pk=registration.pk).update(role=role)
    registration.role = role
    return registration


@dataclass(frozen=True)
class Settings:
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    capacity: int | None
    requires_approval: bool
    accepts_nominations: bool
    seat_offer_hours: int


def update_settings(event: Event, *, actor: User, values: Settings) -> list[Registration]:
    """Change how the event registers people; more places are offered to those waiting at once."""
    _organiser(actor, event)
    errors = {}
    if (
        values.registration_opens_at
        and values.registration_closes_at
        and values.registration_closes_at <= values.registration_opens_at
    ):
        errors["registration_closes_at"] = _("Registration closes before it opens.")
    if values.capacity is not None and values.capacity < 0:
        errors["capacity"] = _("The number of places cannot be negative.")
    elif values.capacity is not None and values.capacity > MAX_PLACES:
        errors["capacity"] = ngettext(
            "Give at most %(count)s place.", "Give at most %(count)s places.", MAX_PLACES
        ) % {"count": MAX_PLACES}
    if not 1 <= values.seat_offer_hours <= 720:
        errors["seat_offer_hours"] = _("Give between 1 and 720 hours.")
    if errors:
        raise ValidationError(errors)
    fields = list(vars(values))
    with transaction.atomic():
        locked = _locked(event)
        for name in fields:
            setattr(locked, name, getattr(values, name))
        locked.save(update_fields=fields)
        offered = _fill(locked, timezone.now()) if not locked.is_past() else []
    for name in fields:
        setattr(event, name, getattr(values, name))
    _tell_offered(offered)
    return offered


# --- the questions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionInput:
    text: str
    kind: str
    choices: list[str]
    required: bool


def _question_values(question: RegistrationQuestion, values: QuestionInput, language: str) -> None:
    errors = {}
    text = values.text.strip()
    if not text:
        errors["text"] = _("Write the question.")
    elif len(text) > 500:
        errors["text"] = _("Keep the question under 500 characters.")
    if values.kind not in QuestionKind.values:
        errors["kind"] = _("Choose one of the kinds given.")
    choices = [choice.strip() for choice in values.choices if choice.strip()]
    if values.kind in (QuestionKind.CHOICE, QuestionKind.CHOICES) and len(choices) < 2:
        errors["choices"] = _("Give at least two choices, one a line.")
    if errors:
        raise ValidationError(errors)
    question.text = {**question.text, language: text}
    question.kind = values.kind
    if values.kind in (QuestionKind.CHOICE, QuestionKind.CHOICES):
        old = list(question.choices)
        # The choice on each line keeps its other languages while its words in this one change.
        question.choices = [
            {**(old[index] if index < len(old) else {}), language: choice}
            for index, choice in enumerate(choices)
        ]
    else:
        question.choices = []
    question.required = values.required


def add_question(
    event: Event, *, actor: User, values: QuestionInput, language: str | None = None
) -> RegistrationQuestion:
    _organiser(actor, event)
    language = language or content_language()
    question = RegistrationQuestion(event=event)
    _question_values(question, values, language)
    with transaction.atomic():
        last = event.questions.order_by("-position").values_list("position", flat=True).first()
        question.position = (last or 0) + 1
        question.save()
    return question


def edit_question(
    question: RegistrationQuestion, *, actor: User, values: QuestionInput, language: str | None = None
) -> RegistrationQuestion:
    """Change the question's words in the organiser's language (its other languages stay)."""
    _organiser(actor, question.event)
    _question_values(question, values, language or content_language())
    question.save()
    return question


def move_question(question: RegistrationQuestion, *, actor: User, up: bool) -> None:
    """Swap the question with the one before (``up``) or after it."""
    _organiser(actor, question.event)
    with transaction.atomic():
        ordered = list(question.event.questions.select_for_update().order_by("position", "pk"))
        index = next(i for i, item in enumerate(ordered) if item.pk == question.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(ordered):
            return
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for number, item in enumerate(ordered, start=1):
            if item.position != number:
                item.position = number
                item.save(update_fields=["position"])


def remove_question(question: RegistrationQuestion, *, actor: User) -> None:
    """Remove a question; the answers already given keep its words (see ``_clean_answers``)."""
    _organiser(actor, question.event)
    question.delete()


# --- nomination by national focal points ----------------------------------------------------------


def nominate(
    event: Event,
    *,
    actor: User,
    country: Country,
    name: str,
    email: str,
    funded: bool,
    language: str,
) -> Registration:
    """A focal point nominates a person of their Party. The person gets a link to complete the
    registration; they come before those who registered on their own."""
    if not permissions.may_nominate(actor, event):
        raise PermissionDenied(
            _("Only national focal points nominate participants, when the event takes nominations.")
        )
    if country.pk not in permissions.nominating_countries(actor):
        raise PermissionDenied(_("You nominate participants of your own Party only."))
    now = timezone.now()
    name, email = name.strip(), email.strip()
    errors = {}
    if not name:
        errors["name"] = _("Give the person's name.")
    if not email:
        errors["email"] = _("Give the person's e-mail address.")
    if errors:
        raise ValidationError(errors)
    if event.starts_at is not None and event.starts_at <= now:
        raise ValidationError(_("This event has already taken place."), code="past")
    if event.registration_closes_at is not None and event.registration_closes_at <= now:
        raise ValidationError(_("Registration has closed."), code="closed")
    duplicate = ValidationError(
        {"email": _("This person is already nominated or registered for this event.")},
        code="already_registered",
    )
    try:
        with transaction.atomic():
            _locked(event)
            if active_registration(event, email=email) is not None:
                raise duplicate
            account = User.objects.filter(email__iexact=email, is_active=True).first()
            registration = Registration(
                event=event,
                name=name[:200],
                email=email,
                language=account.preferred_language if account else language,
                status=RegistrationStatus.NOMINATED,
                priority=NOMINATION_PRIORITY,
                nominated_by=actor,
                nominated_for=country,
                country=country,
                funded=funded,
            )
            registration.full_clean(
                exclude=["code", "person", "event", "country", "nominated_for", "nominated_by"]
            )
            registration.save()
    except IntegrityError as error:
        raise duplicate from error
    _after_commit(lambda: registration_mail.nominated(registration))
    return registration


def nominations(event: Event, actor: Any) -> QuerySet[Registration]:
    """The nominations of the Parties this person is focal point of."""
    return event.registrations.filter(
        nominated_for__in=permissions.nominating_countries(actor), nominated_by__isnull=False
    ).order_by("status", "name")


def withdraw_nomination(registration: Registration, *, actor: User) -> Registration:
    """A focal point withdraws their Party's nomination; a place it held goes to the next."""
    if registration.nominated_for_id not in permissions.nominating_countries(actor):
        raise PermissionDenied(_("You withdraw your own Party's nominations only."))
    return _end(registration, RegistrationStatus.CANCELLED, allowed=_CANCELLABLE)


def complete_nomination(
    registration: Registration,
    *,
    person: User | None,
    facts: Facts,
    answers: Mapping[int, Any],
    consents: Consents,
    language: str,
) -> Outcome:
    """The nominated person completes their registration by the e-mailed link: confirmed when a
    place is free, else at the top of the waiting list. The link holds until the event starts."""
    now = timezone.now()
    _check_facts(facts)
    try:
        with transaction.atomic():
            event = _locked(registration.event)
            registration = Registration.objects.select_for_update().get(pk=registration.pk)
            if registration.status != RegistrationStatus.NOMINATED:
                raise ValidationError(
                    _("This nomination is already completed or was withdrawn."), code="status"
                )
            if event.starts_at is not None and event.starts_at <= now:
                raise ValidationError(_("This event has already taken place."), code="past")
            if person is not None:
                other = active_registration(event, person=person, email="")
                if other is not None and other.pk != registration.pk:
                    raise _already()
                registration.person = person
            registration.answers = _clean_answers(event, answers)
            for name, value in _facts_values(facts).items():
                if name != "country" or value is not None:
                    setattr(registration, name, value)
            registration.listed, registration.contactable = consents.listed, consents.contactable
            registration.language = language
            lapsed = _lapse(event, now)
            _seat_or_wait(registration, event, now, approval=False)
            registration.save()
            offered = _fill(event, now)
    except IntegrityError as error:
        raise _already() from error
    _after_commit(lambda: registration_mail.registered(registration))
    _tell_lapsed(lapsed)
    _tell_offered(offered)
    return Outcome(registration, position(registration), offered)


def expire_all(now: datetime | None = None) -> int:
    """Lapse every offer past its time and offer the free places to those waiting (also those
    a larger capacity set elsewhere freed); the periodic job runs it. Returns how many were
    offered a place."""
    now = now or timezone.now()
    events = Event.objects.filter(
        Q(registrations__status=RegistrationStatus.OFFERED, registrations__offer_expires_at__lte=now)
        | Q(registrations__status=RegistrationStatus.WAITLISTED, starts_at__gt=now)
    ).distinct()
    return sum(len(refresh(event, now)) for event in events)
