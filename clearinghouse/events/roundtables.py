"""Matchmaking round tables: what each participant brings, who they see, the 1:1 meetings they
ask each other for (and the organiser proposes from the matcher's suggestions), the outcome of
each meeting, followed up in matchmaking when it is a match, and what the round table led to.

Who takes part: the confirmed registrations of a round table (``participants``). A participant
says whether they come for support (seeker) or to offer it (provider), and brings records by
identifier: a seeker their Party's or organisation's needs and requests, a provider its offers,
opportunities, provider profiles and their own expert profile. A record written at the round
table is a draft submitted for review like any other; others see it once it is published.

Meeting requests, each open in one direction between two people at a time:

    pending → accepted | declined | withdrawn | expired (when requests close: the event's
    ``meeting_requests_close_at``, else its start)

A person makes at most REQUEST_CAP requests at one round table that are still open or accepted;
the organiser's proposals do not count against it. An accepted request becomes a ``Meeting``
when the schedule places it (schedules.py). After its slot starts, each side records the outcome
(nothing, follow-up, match); a match opens the seeker's need in matchmaking with the provider's
support (``open_follow_up``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clearinghouse.accounts.models import User
from clearinghouse.events import permissions
from clearinghouse.events import roundtable_mail as notifications
from clearinghouse.events.models import (
    BroughtItem,
    Event,
    Meeting,
    MeetingPriority,
    MeetingRequest,
    Outcome,
    Registration,
    RegistrationStatus,
    RequestStatus,
    Side,
)
from clearinghouse.geo.models import Country
from clearinghouse.matching import bands
from clearinghouse.matchmaking import ranking, sides
from clearinghouse.matchmaking import services as matchmaking
from clearinghouse.matchmaking.models import LIVE_STATES, Contribution, Cooperation, Match, MatchState
from clearinghouse.needs import services as need_services
from clearinghouse.needs.formats import definition
from clearinghouse.needs.models import Need, Request
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import registry, workflow
from clearinghouse.publishing.models import Record
from clearinghouse.publishing.owners import owners_for
from clearinghouse.support import services as support_services
from clearinghouse.support.models import Expert, Offer, Opportunity, Provider
from clearinghouse.vocabularies.models import Term

# Requests one person may have open or accepted at one round table: enough for a day of
# meetings, few enough that invitees are not flooded (the scheduler places at most a slot each).
REQUEST_CAP = 30
MESSAGE_MAX = 2000
# What each side brings.
SEEKER_MODELS: tuple[type[Record], ...] = (Need, Request)
PROVIDER_MODELS: tuple[type[Record], ...] = (Offer, Opportunity, Provider, Expert)
# Suggestions read per item brought, for the "suggested for you" order and the organiser's page.
SUGGESTIONS_PER_ITEM = 30


class RoundTableError(ValidationError):
    """A step that cannot be taken at this round table now; the message says why."""


# ---------------------------------------------------------------------------------------------
# Who takes part


def participants(event: Event) -> QuerySet[Registration]:
    """The confirmed registrations of the round table."""
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED)


def participant(event: Event, user: Any) -> Registration | None:
    """The person's confirmed registration at the round table, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return participants(event).filter(person=user).select_related("person").first()


def _require_round_table(event: Event) -> None:
    if not event.is_round_table:
        raise RoundTableError(_("This event is not a matchmaking round table."), code="not_round_table")


def _require_own(registration: Registration, actor: User | None) -> None:
    # None is the platform itself (the demo data).
    if (
        actor is not None
        and registration.person_id != actor.pk
        and not permissions.is_organiser(actor, registration.event)
    ):
        raise PermissionDenied(_("Only the participant can change what they bring."))


def _require_confirmed(registration: Registration) -> None:
    if registration.status != RegistrationStatus.CONFIRMED:
        raise RoundTableError(
            _("Only confirmed participants of this round table take part in its meetings."),
            code="not_confirmed",
        )


# ---------------------------------------------------------------------------------------------
# What participants bring


def _scopes(user: Any) -> tuple[set[int], set[int]]:
    """The Parties and organisations (ids) the person registers records for (publishing.owners)."""
    owners = owners_for(user)
    return (
        {owner.pk for owner in owners if isinstance(owner, Country)},
        {owner.pk for owner in owners if isinstance(owner, Organisation)},
    )


def _is_theirs(user: Any, record: Record, scopes: tuple[set[int], set[int]]) -> bool:
    """Whether the record belongs to someone the person registers records for, or is their
    own expert profile."""
    if isinstance(record, Expert) and record.expert_user_id is not None:
        return bool(record.expert_user_id == user.pk)
    countries, organisations = scopes
    return record.owner_country_id in countries or record.owner_organisation_id in organisations


def models_for(side: str) -> tuple[type[Record], ...]:
    return SEEKER_MODELS if side == Side.SEEKER else PROVIDER_MODELS if side == Side.PROVIDER else ()


def bringable(user: Any, side: str) -> list[Record]:
    """The published records the person may bring for this side, one query per type: their
    Parties' and organisations' needs and requests, or their offers, opportunities and provider
    profiles and their own expert profile."""
    if not getattr(user, "is_authenticated", False):
        return []
    countries, organisations = _scopes(user)
    owned = Q(owner_country__in=countries) | Q(owner_organisation__in=organisations)
    found: list[Record] = []
    for model in models_for(side):
        condition = owned
        if model is Expert:
            condition = (Q(expert_user__isnull=True) & owned) | Q(expert_user=user.pk)
        records = model._default_manager.filter(condition, live=True)
        found += records.select_related("owner_country", "owner_organisation").order_by("identifier")
    return found


@transaction.atomic
def set_side(registration: Registration, side: str, *, actor: User | None) -> Registration:
    """Say whether the participant comes to seek support or to offer it. Changing side drops
    the items brought for the other side (a seeker brings needs, a provider support)."""
    _require_round_table(registration.event)
    _require_own(registration, actor)
    _require_confirmed(registration)
    if side not in Side.values:
        raise RoundTableError({"side": _("Say whether you seek support or offer it.")}, code="side")
    if registration.side != side:
        kept = registration.items.all()
        wrong = [
            item.pk for item in kept if registry.model_for_identifier(item.identifier) not in models_for(side)
        ]
        registration.items.filter(pk__in=wrong).delete()
        registration.side = side
        registration.save(update_fields=["side", "updated_at"])
    return registration


def _record(identifier: str) -> Record | None:
    identifier = identifier.strip().upper()
    return registry.find(identifier) if identifier else None


@transaction.atomic
def bring(registration: Registration, identifier: str, *, actor: User) -> Record:
    """Bring a record to the round table: one of the participant's own (see ``bringable``), of
    the kind their side brings. A draft may be brought; others see it once published."""
    _require_round_table(registration.event)
    _require_own(registration, actor)
    _require_confirmed(registration)
    if not registration.side:
        raise RoundTableError(_("First say whether you seek support or offer it."), code="no_side")
    record = _record(identifier)
    if record is None:
        raise RoundTableError(
            {
                "identifier": _("No record has the identifier %(identifier)s.")
                % {"identifier": identifier[:40]}
            },
            code="unknown",
        )
    if not isinstance(record, models_for(registration.side)):
        message = (
            _("A participant who seeks support brings needs and requests for assistance.")
            if registration.side == Side.SEEKER
            else _(
                "A participant who offers support brings offers, opportunities, provider and expert profiles."
            )
        )
        raise RoundTableError({"identifier": message}, code="wrong_kind")
    person = registration.person
    if person is None or not _is_theirs(person, record, _scopes(person)):
        raise RoundTableError(
            {
                "identifier": _(
                    "%(identifier)s is not one of your records: bring the records of the Party or "
                    "organisation you register records for, or your own expert profile."
                )
                % {"identifier": record.identifier}
            },
            code="not_theirs",
        )
    if registration.items.filter(identifier=record.identifier).exists():
        raise RoundTableError(
            {"identifier": _("You already bring %(identifier)s.") % {"identifier": record.identifier}},
            code="duplicate",
        )
    registration.items.create(identifier=record.identifier)
    return record


@transaction.atomic
def drop(registration: Registration, identifier: str, *, actor: User) -> None:
    """No longer bring the record (its meetings stay as they are)."""
    _require_own(registration, actor)
    deleted, _rows = registration.items.filter(identifier=identifier.strip().upper()).delete()
    if not deleted:
        raise RoundTableError(_("You do not bring %(identifier)s.") % {"identifier": identifier[:40]})


@dataclass(frozen=True)
class ShortRecord:
    """A need or offer written at the round table, in a few words."""

    kind: str  # "need" or "offer"
    owner: Country | Organisation
    language: str
    title: str
    description: str
    support_types: Sequence[Term]
    subjects: Sequence[Term] = ()
    # A need also says these (the needs format requires them before review).
    priority: str = ""
    instruments: Sequence[Term] = ()
    capacity_levels: Sequence[Term] = ()


@dataclass(frozen=True)
class Written:
    """The draft written, and why it could not be submitted yet (empty when it was)."""

    record: Record
    problems: list[str] = field(default_factory=list)


# The fields of the needs format a short need fills: a step of its own, read by the needs services.
SHORT_NEED_FIELDS = (
    "title",
    "description",
    "priority",
    "subjects",
    "instruments",
    "capacity_levels",
    "support_types",
    "support_languages",
    "contact_name",
    "contact_email",
)


def _check_short(short: ShortRecord) -> None:
    errors: dict[str, str] = {}
    if short.kind not in {"need", "offer"}:
        errors["kind"] = _("Say whether you write a need or an offer.")
    if not short.title.strip():
        errors["title"] = _("Give a title.")
    if not short.description.strip():
        errors["description"] = _("Describe it in a few sentences.")
    if not short.support_types:
        errors["support_types"] = _("Choose a type of support.")
    if errors:
        raise RoundTableError(errors, code="invalid")


@transaction.atomic
def write_short(registration: Registration, short: ShortRecord, *, actor: User) -> Written:
    """Write a short need (seeker) or offer (provider) and bring it: created as a draft through
    the needs' or the support registry's own services for an owner the person registers records
    for, then submitted for review. When the registry asks for more before review, the draft
    stays a draft (``problems`` says what to add) and is brought all the same."""
    _require_round_table(registration.event)
    _require_own(registration, actor)
    _require_confirmed(registration)
    _check_short(short)
    expected = "need" if registration.side == Side.SEEKER else "offer" if registration.side else ""
    if short.kind != expected:
        raise RoundTableError(
            _("A participant who seeks support writes a need; one who offers support writes an offer."),
            code="wrong_kind",
        )
    if short.owner not in owners_for(actor):
        raise PermissionDenied(
            _("You can only write records for a Party or organisation you register records for.")
        )
    record: Record
    if short.kind == "need":
        form = definition().form("need")
        step = type(form.steps[0])(
            name="round-table", labels={}, fields=tuple(form.field(n) for n in SHORT_NEED_FIELDS)
        )
        record = need_services.start(
            "need",
            actor=actor,
            owner=short.owner,
            language=short.language,
            step=step,
            cleaned={
                "title": short.title.strip(),
                "description": short.description.strip(),
                "priority": short.priority,
                "subjects": list(short.subjects),
                "instruments": list(short.instruments),
                "capacity_levels": list(short.capacity_levels),
                "support_types": list(short.support_types),
                "support_languages": [short.language],
                # Who wrote it at the round table is its contact (reviewers and the help desk see it).
                "contact_name": registration.name,
                "contact_email": registration.email,
            },
        )
    else:
        record = support_services.create(
            Offer,
            actor=actor,
            owner=short.owner,
            language=short.language,
            cleaned={
                "title": short.title.strip(),
                "description": short.description.strip(),
                "support_types": list(short.support_types),
                "subjects": list(short.subjects),
            },
        )
    problems: list[str] = []
    try:
        with transaction.atomic():
            workflow.submit(record, actor=actor)
    except ValidationError as error:
        problems = list(error.messages)
    registration.items.create(identifier=record.identifier)
    return Written(record, problems)


def items_of(
    registrations: Iterable[Registration], *, published_only: bool = True
) -> dict[int, list[Record]]:
    """The records each registration brings, by registration id, in the order brought: only
    the published ones for other people, drafts too for the participant themselves. One query
    per record type."""
    regs = list(registrations)
    brought = defaultdict(list)
    for item in _items(regs):
        brought[item[0]].append(item[1])
    identifiers = {identifier for values in brought.values() for identifier in values}
    found: dict[str, Record] = {}
    for record_type, wanted in registry.by_type(identifiers).items():
        rows = record_type.model._default_manager.filter(identifier__in=wanted)
        if published_only:
            rows = rows.filter(live=True)
        # The subjects and targets the participants' filters read.
        terms = [name for name in ("subjects", "gbf_targets") if hasattr(record_type.model, name)]
        rows = rows.select_related("owner_country", "owner_organisation").prefetch_related(*terms)
        found |= {record.identifier: record for record in rows}
    return {
        reg.pk: [found[identifier] for identifier in brought.get(reg.pk, []) if identifier in found]
        for reg in regs
    }


def _items(registrations: Sequence[Registration]) -> list[tuple[int, str]]:
    rows = BroughtItem.objects.filter(registration__in=[reg.pk for reg in registrations]).order_by("pk")
    return list(rows.values_list("registration_id", "identifier"))


# ---------------------------------------------------------------------------------------------
# Browsing participants


@dataclass
class Profile:
    """A participant as others see them: who, from where, their side and published items."""

    registration: Registration
    items: list[Record]
    suggested: float | None = None  # the best score of a suggestion linking them to the viewer

    @property
    def band(self) -> str:
        return bands.band(self.suggested) if self.suggested is not None else ""


@dataclass(frozen=True)
class BrowseFilters:
    side: str = ""
    country: str = ""  # a country code
    term: str = ""  # a subject or GBF target code


def may_browse(user: Any, event: Event) -> bool:
    return permissions.is_organiser(user, event) or participant(event, user) is not None


def visible(event: Event, user: Any) -> QuerySet[Registration]:
    """The participants this person sees: everyone for the organisers; for a participant, the
    others who consented to be listed."""
    everyone = participants(event).select_related("country", "person")
    if permissions.is_organiser(user, event):
        return everyone
    return everyone.filter(listed=True).exclude(person=user)


def item_terms(records: Sequence[Record]) -> dict[str, Term]:
    """The subjects and GBF targets of these records, by code (read from what ``items_of``
    prefetched)."""
    found: dict[str, Term] = {}
    for record in records:
        for name in ("subjects", "gbf_targets"):
            if hasattr(record, name):
                found |= {term.code: term for term in getattr(record, name).all()}
    return found


def browse(event: Event, user: Any, filters: BrowseFilters | None = None) -> list[Profile]:
    """The participants this person may see, with their published items, those the matcher
    links to the person's own items first ("suggested for you"), then by name; filtered."""
    _require_round_table(event)
    if not may_browse(user, event):
        raise PermissionDenied(
            _("Only the participants and organisers of this round table see its participants.")
        )
    regs = list(visible(event, user).order_by("name", "pk"))
    items = items_of(regs)
    profiles = [Profile(reg, items.get(reg.pk, [])) for reg in regs]
    me = participant(event, user)
    if me is not None and me.side:
        scores = suggested_for(me, regs, items)
        for profile in profiles:
            profile.suggested = scores.get(profile.registration.pk)
        profiles.sort(key=lambda profile: (profile.suggested is None, -(profile.suggested or 0.0)))
    return filtered(profiles, filters or BrowseFilters())


def filtered(profiles: Sequence[Profile], filters: BrowseFilters) -> list[Profile]:
    """The profiles of this side, country and subject or GBF target, in the same order (the page
    builds its filters' choices from all of them, so it filters what it read once)."""
    return [
        profile
        for profile in profiles
        if (not filters.side or profile.registration.side == filters.side)
        and (
            not filters.country
            or (
                profile.registration.country is not None
                and profile.registration.country.code == filters.country.upper()
            )
        )
        and (not filters.term or filters.term in item_terms(profile.items))
    ]


def _suggested_support(records: Sequence[Record]) -> dict[str, dict[str, float]]:
    """For each need or request: the support records the matcher suggests, with their scores."""
    subjects = [record for record in records if isinstance(record, Need | Request)]
    if not subjects:
        return {}
    ranked = ranking.support_for_each(subjects, limit=SUGGESTIONS_PER_ITEM)
    return {
        identifier: {item.record.identifier: item.score for item in answer.items}
        for identifier, answer in ranked.items()
    }


def suggested_for(
    me: Registration, others: Sequence[Registration], items: Mapping[int, list[Record]] | None = None
) -> dict[int, float]:
    """The participants (registration ids) whose items the matcher links to mine, with the best
    score: for a seeker, the providers whose support is suggested for my needs; for a provider,
    the seekers whose needs my support is suggested for."""
    mine = items_of([me]).get(me.pk, [])
    items = items if items is not None else items_of(others)
    scores: dict[int, float] = {}
    if me.side == Side.SEEKER:
        suggested: dict[str, float] = {}
        for found in _suggested_support(mine).values():
            for identifier, score in found.items():
                suggested[identifier] = max(score, suggested.get(identifier, score))
        for other in others:
            hits = [
                suggested[record.identifier]
                for record in items.get(other.pk, [])
                if record.identifier in suggested
            ]
            if other.side == Side.PROVIDER and hits:
                scores[other.pk] = max(hits)
    elif me.side == Side.PROVIDER:
        needs: dict[str, float] = {}
        for record in mine:
            answer = ranking.needs_for(record, limit=SUGGESTIONS_PER_ITEM)
            for item in answer.items:
                needs[item.record.identifier] = max(item.score, needs.get(item.record.identifier, item.score))
        for other in others:
            hits = [
                needs[record.identifier] for record in items.get(other.pk, []) if record.identifier in needs
            ]
            if other.side == Side.SEEKER and hits:
                scores[other.pk] = max(hits)
    return scores


# ---------------------------------------------------------------------------------------------
# Meeting requests


def requests_close_at(event: Event) -> datetime | None:
    """When pending requests expire and no new ones are taken."""
    return event.meeting_requests_close_at or event.starts_at


def requests_open(event: Event, now: datetime | None = None) -> bool:
    closes = requests_close_at(event)
    return closes is None or (now or timezone.now()) < closes


def _open_between(a: Registration, b: Registration) -> bool:
    return MeetingRequest.objects.filter(
        Q(requester=a, invitee=b) | Q(requester=b, invitee=a),
        status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED],
    ).exists()


def _check_request(
    event: Event,
    requester: Registration | None,
    invitee: Registration,
    *,
    priority: int,
    message: str,
    about: str,
    now: datetime,
) -> tuple[Registration, str]:
    """The checks a new request passes (whoever makes it); returns the requester and the
    ``about`` identifier."""
    _require_round_table(event)
    if requester is None:
        raise RoundTableError(
            _("Only confirmed participants of this round table can ask for meetings."), code="not_participant"
        )
    if invitee.event_id != event.pk or invitee.status != RegistrationStatus.CONFIRMED:
        raise RoundTableError(
            _("%(name)s is not a confirmed participant of this round table.") % {"name": invitee.name},
            code="invitee_not_participant",
        )
    if requester.pk == invitee.pk:
        raise RoundTableError(_("You cannot ask yourself for a meeting."), code="oneself")
    if not requests_open(event, now):
        raise RoundTableError(_("Meeting requests for this round table are closed."), code="closed")
    if priority not in MeetingPriority.values:
        raise RoundTableError({"priority": _("Choose a priority.")}, code="priority")
    if len(message) > MESSAGE_MAX:
        raise RoundTableError(
            {
                "message": ngettext(
                    "Keep the message under %(count)d character.",
                    "Keep the message under %(count)d characters.",
                    MESSAGE_MAX,
                )
                % {"count": MESSAGE_MAX}
            },
            code="message",
        )
    if _open_between(requester, invitee):
        raise RoundTableError(
            _("There is already an open request between you and %(name)s.") % {"name": invitee.name},
            code="duplicate",
        )
    about = about.strip().upper()
    if about:
        brought = items_of([requester, invitee])
        published = {record.identifier for records in brought.values() for record in records}
        if about not in published:
            raise RoundTableError(
                {"about": _("The meeting can be about a published item either of you brings.")},
                code="about",
            )
    return requester, about


def _lock_pair(*registrations: Registration) -> None:
    # Two requests between the same pair at once: the constraint keeps one; the lock keeps the
    # count under the cap exact.
    list(
        Registration.objects.select_for_update()
        .filter(pk__in=[reg.pk for reg in registrations])
        .order_by("pk")
    )


@transaction.atomic
def request_meeting(
    event: Event,
    invitee: Registration,
    *,
    actor: User,
    priority: int,
    message: str = "",
    about: str = "",
    now: datetime | None = None,
) -> MeetingRequest:
    """A participant asks another for a 1:1 meeting; the invitee is e-mailed and answers."""
    now = now or timezone.now()
    message = message.strip()
    requester, about = _check_request(
        event, participant(event, actor), invitee, priority=priority, message=message, about=about, now=now
    )
    _lock_pair(requester, invitee)
    made = MeetingRequest.objects.filter(
        requester=requester,
        proposed_by__isnull=True,
        status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED],
    ).count()
    if made >= REQUEST_CAP:
        raise RoundTableError(
            ngettext(
                "You already have %(count)d meeting request open or accepted: "
                "withdraw it to ask for another.",
                "You already have %(count)d meeting requests open or accepted: "
                "withdraw one to ask for another.",
                REQUEST_CAP,
            )
            % {"count": REQUEST_CAP},
            code="cap",
        )
    request = _create(
        event, requester, invitee, priority=priority, message=message, about=about, proposed_by=None
    )
    request_id = request.pk
    transaction.on_commit(lambda: notifications.requested(request_id))
    return request


def _create(
    event: Event,
    requester: Registration,
    invitee: Registration,
    *,
    priority: int,
    message: str,
    about: str,
    proposed_by: User | None,
) -> MeetingRequest:
    try:
        with transaction.atomic():
            return MeetingRequest.objects.create(
                event=event,
                requester=requester,
                invitee=invitee,
                priority=priority,
                message=message,
                about=about,
                proposed_by=proposed_by,
                expires_at=requests_close_at(event),
            )
    except IntegrityError:
        raise RoundTableError(
            _("There is already an open request between you and %(name)s.") % {"name": invitee.name},
            code="duplicate",
        ) from None


def _locked_request(request: MeetingRequest) -> MeetingRequest:
    return (
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related("event", "requester", "invitee")
        .get(pk=request.pk)
    )


def _expire_if_due(request: MeetingRequest, now: datetime) -> bool:
    if request.status == RequestStatus.PENDING and not requests_open(request.event, now):
        request.status = RequestStatus.EXPIRED
        request.save(update_fields=["status"])
        request_id = request.pk
        transaction.on_commit(lambda: notifications.expired(request_id))
        return True
    return False


@transaction.atomic
def answer(
    request: MeetingRequest, *, actor: User, accept: bool, note: str = "", now: datetime | None = None
) -> MeetingRequest:
    """The invitee accepts or declines; the requester (and, for a proposal, the organiser's
    seeker) is e-mailed with the invitee's note."""
    now = now or timezone.now()
    request = _locked_request(request)
    if request.invitee.person_id != actor.pk:
        raise PermissionDenied(_("Only the person asked can answer this request."))
    if _expire_if_due(request, now):
        return request
    if request.status != RequestStatus.PENDING:
        raise RoundTableError(
            _("This request is %(status)s: it cannot be answered now.")
            % {"status": RequestStatus(request.status).label.lower()},
            code="not_pending",
        )
    if len(note) > MESSAGE_MAX:
        raise RoundTableError(
            {
                "note": ngettext(
                    "Keep the note under %(count)d character.",
                    "Keep the note under %(count)d characters.",
                    MESSAGE_MAX,
                )
                % {"count": MESSAGE_MAX}
            }
        )
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.answered_at = now
    request.save(update_fields=["status", "answered_at"])
    request_id, text = request.pk, note.strip()
    transaction.on_commit(lambda: notifications.answered(request_id, text))
    return request


@transaction.atomic
def withdraw(request: MeetingRequest, *, actor: User) -> MeetingRequest:
    """The requester withdraws a request not yet answered, or accepted but not yet scheduled."""
    request = _locked_request(request)
    if request.requester.person_id != actor.pk:
        raise PermissionDenied(_("Only the person who asked can withdraw this request."))
    scheduled = Meeting.objects.filter(request=request).exists()
    if request.status not in {RequestStatus.PENDING, RequestStatus.ACCEPTED} or scheduled:
        raise RoundTableError(
            _("Only a request waiting for an answer, or accepted and not yet scheduled, can be withdrawn."),
            code="not_withdrawable",
        )
    was_accepted = request.status == RequestStatus.ACCEPTED
    request.status = RequestStatus.WITHDRAWN
    request.save(update_fields=["status"])
    request_id = request.pk
    transaction.on_commit(lambda: notifications.withdrawn(request_id, was_accepted))
    return request


@transaction.atomic
def expire_requests(event: Event | None = None, now: datetime | None = None) -> int:
    """Expire the pending requests of round tables whose requests have closed (of one event, or
    all); each requester is e-mailed. Running it again expires nothing more."""
    now = now or timezone.now()
    due = MeetingRequest.objects.filter(status=RequestStatus.PENDING).filter(
        Q(event__meeting_requests_close_at__lte=now)
        | Q(event__meeting_requests_close_at__isnull=True, event__starts_at__lte=now)
    )
    if event is not None:
        due = due.filter(event=event)
    identifiers = list(due.select_for_update(of=("self",)).values_list("pk", flat=True))
    MeetingRequest.objects.filter(pk__in=identifiers).update(status=RequestStatus.EXPIRED)
    for request_id in identifiers:
        transaction.on_commit(partial(notifications.expired, request_id))
    return len(identifiers)


def expire_due(event: Event) -> int:
    """The lazy check pages make, so nobody answers a request past its time between two runs of
    the periodic job."""
    if requests_open(event):
        return 0
    return expire_requests(event)


@dataclass
class MyMeetings:
    made: list[MeetingRequest]
    received: list[MeetingRequest]
    meetings: list[Meeting]

    def counts(self) -> dict[str, int]:
        return {
            "made": len(self.made),
            "received": len(self.received),
            "waiting": sum(request.status == RequestStatus.PENDING for request in self.received),
            "accepted": sum(
                request.status == RequestStatus.ACCEPTED for request in [*self.made, *self.received]
            ),
            "meetings": len(self.meetings),
        }


def my_meetings(registration: Registration) -> MyMeetings:
    related = ("requester__country", "invitee__country", "proposed_by")
    requests = MeetingRequest.objects.select_related(*related)
    meetings = (
        Meeting.objects.filter(Q(request__requester=registration) | Q(request__invitee=registration))
        .select_related("slot", "table", "request__requester", "request__invitee", "match")
        .order_by("slot__starts_at")
    )
    return MyMeetings(
        made=list(requests.filter(requester=registration).order_by("-created_at")),
        received=list(requests.filter(invitee=registration).order_by("-created_at")),
        meetings=list(meetings),
    )


# ---------------------------------------------------------------------------------------------
# The organiser's proposals


@dataclass(frozen=True)
class Proposal:
    """A support record the matcher suggests for a seeker's item, brought by a provider."""

    seeker: Registration
    need: Record
    provider: Registration
    support: Record
    score: float
    band: str
    request: MeetingRequest | None  # an open request between them already, either way


def proposals(event: Event) -> list[Proposal]:
    """For each need or request a seeker brings, the suggested support records that a provider
    participant brings, best first; one matcher call for all of them."""
    _require_round_table(event)
    regs = list(participants(event).filter(side__in=[Side.SEEKER, Side.PROVIDER]).order_by("name", "pk"))
    items = items_of(regs)
    seekers = [reg for reg in regs if reg.side == Side.SEEKER]
    brought_by: dict[str, Registration] = {}
    for reg in regs:
        if reg.side == Side.PROVIDER:
            for record in items.get(reg.pk, []):
                brought_by.setdefault(record.identifier, reg)
    needs = [
        (reg, record)
        for reg in seekers
        for record in items.get(reg.pk, [])
        if isinstance(record, Need | Request)
    ]
    suggested = _suggested_support([record for _reg, record in needs])
    open_requests = {
        frozenset((request.requester_id, request.invitee_id)): request
        for request in MeetingRequest.objects.filter(
            event=event, status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED]
        )
    }
    records = {record.identifier: record for values in items.values() for record in values}
    found: list[Proposal] = []
    for seeker, need in needs:
        for identifier, score in sorted(
            suggested.get(need.identifier, {}).items(), key=lambda pair: -pair[1]
        ):
            provider = brought_by.get(identifier)
            if provider is None or provider.pk == seeker.pk:
                continue
            found.append(
                Proposal(
                    seeker=seeker,
                    need=need,
                    provider=provider,
                    support=records[identifier],
                    score=score,
                    band=bands.band(score),
                    request=open_requests.get(frozenset((seeker.pk, provider.pk))),
                )
            )
    return found


@transaction.atomic
def propose_meeting(
    event: Event,
    seeker: Registration,
    provider: Registration,
    *,
    actor: User,
    priority: int,
    about: str = "",
    now: datetime | None = None,
) -> MeetingRequest:
    """The organiser proposes a meeting: a request from the seeker to the provider, marked as
    proposed by the organiser. Both are e-mailed; the provider (the invitee) accepts or declines
    it like any other. The seeker's request cap does not apply."""
    if not permissions.is_organiser(actor, event):
        raise PermissionDenied(_("Only the organisers of this round table can propose meetings."))
    now = now or timezone.now()
    if seeker.event_id != event.pk or seeker.status != RegistrationStatus.CONFIRMED:
        raise RoundTableError(
            _("%(name)s is not a confirmed participant of this round table.") % {"name": seeker.name},
            code="not_participant",
        )
    seeker, about = _check_request(
        event, seeker, provider, priority=priority, message="", about=about, now=now
    )
    _lock_pair(seeker, provider)
    request = _create(event, seeker, provider, priority=priority, message="", about=about, proposed_by=actor)
    request_id = request.pk
    transaction.on_commit(lambda: notifications.proposed(request_id))
    return request


# ---------------------------------------------------------------------------------------------
# Outcomes, followed up in matchmaking


@dataclass(frozen=True)
class Recorded:
    """The meeting with the outcome recorded, and what to tell the person (a match that could
    not be opened in matchmaking, and why)."""

    meeting: Meeting
    notice: str = ""


def _side_of(meeting: Meeting, actor: User) -> str:
    if meeting.request.requester.person_id == actor.pk:
        return "requester"
    if meeting.request.invitee.person_id == actor.pk:
        return "invitee"
    raise PermissionDenied(_("Only the two people who met record the outcome of a meeting."))


@transaction.atomic
def record_outcome(meeting: Meeting, *, actor: User, outcome: str, now: datetime | None = None) -> Recorded:
    """One side of a scheduled meeting records how it went, once its slot has started. A match
    is followed up in matchmaking (``open_follow_up``); the outcome is kept whatever happens
    there, and the notice says what could not be done."""
    now = now or timezone.now()
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("slot", "request__event", "request__requester", "request__invitee")
        .get(pk=meeting.pk)
    )
    side = _side_of(meeting, actor)
    if outcome not in Outcome.values:
        raise RoundTableError({"outcome": _("Choose how the meeting went.")}, code="outcome")
    if meeting.slot.starts_at > now:
        raise RoundTableError(_("The outcome is recorded once the meeting has started."), code="not_started")
    setattr(meeting, f"{side}_outcome", outcome)
    meeting.save(update_fields=[f"{side}_outcome", "updated_at"])
    notice = ""
    if outcome == Outcome.MATCH:
        notice = open_follow_up(meeting, actor=actor)
    return Recorded(meeting, notice)


def _seeker_and_provider(meeting: Meeting) -> tuple[Registration, Registration] | None:
    pair = (meeting.request.requester, meeting.request.invitee)
    seeker = next((reg for reg in pair if reg.side == Side.SEEKER), None)
    provider = next((reg for reg in pair if reg.side == Side.PROVIDER), None)
    return (seeker, provider) if seeker is not None and provider is not None else None


def _first(records: Sequence[Record], models: tuple[type[Record], ...], about: str) -> Record | None:
    chosen = [record for record in records if isinstance(record, models)]
    return next((record for record in chosen if record.identifier == about), None) or next(iter(chosen), None)


def open_follow_up(meeting: Meeting, *, actor: User) -> str:
    """Open (or bring forward) the matchmaking match a "match" outcome starts: the seeker's need
    or request (the one the meeting was about, else the first they bring) gets its case and a
    match with the provider's support item (likewise), proposed to the provider with a note
    that it came from the round table, and accepted when the provider's side said "match". The
    requester confirms it in matchmaking (its confirmation shares its contact details), and the
    help desk follows it there. Returns what to tell the person when it cannot be opened."""
    pair = _seeker_and_provider(meeting)
    if pair is None:
        return _(
            "A match is followed up between a participant who seeks support and one who offers it: "
            "the outcome is recorded."
        )
    seeker, provider = pair
    brought = items_of([seeker, provider])
    about = meeting.request.about
    need = _first(brought.get(seeker.pk, []), SEEKER_MODELS, about)
    support = _first(brought.get(provider.pk, []), PROVIDER_MODELS, about)
    if not isinstance(need, Need | Request):
        return _(
            "The outcome is recorded. To follow the match up, the participant who seeks support registers "
            "the need and brings it to the round table; the match is then opened in matchmaking."
        )
    if support is None:
        return _(
            "The outcome is recorded. To follow the match up, the provider brings a published offer or "
            "profile to the round table."
        )
    event = meeting.request.event
    note = _("Met at the round table %(event)s (%(identifier)s): both sides met on %(date)s.") % {
        "event": event.title.get(event.original_language) or event.identifier,
        "identifier": event.identifier,
        "date": meeting.slot.starts_at.astimezone(event.zone).date().isoformat(),
    }
    try:
        with transaction.atomic():
            match = meeting.match if meeting.match is not None and meeting.match.is_live else None
            if match is None:
                match = _live_match(need, support) or _new_match(need, support, note)
            provider_agreed = Outcome.MATCH in {
                meeting.requester_outcome if meeting.request.requester_id == provider.pk else "",
                meeting.invitee_outcome if meeting.request.invitee_id == provider.pk else "",
            }
            person = provider.person
            if (
                provider_agreed
                and match.state == MatchState.PROPOSED
                and person is not None
                and sides.acts_for_provider(person, match)
            ):
                match = matchmaking.accept(match, actor=person, note=note)
            meeting.match = match
            meeting.save(update_fields=["match", "updated_at"])
    except ValidationError as error:
        return _("The outcome is recorded, but the match could not be opened in matchmaking: %(reason)s") % {
            "reason": " ".join(error.messages)
        }
    return ""


def _live_match(need: Need | Request, support: Record) -> Match | None:
    field_name = "case__request" if isinstance(need, Request) else "case__need"
    return (
        Match.objects.filter(
            **{field_name: need},
            support_identifier=support.identifier,
            state__in=sorted(str(state) for state in LIVE_STATES),
        )
        .order_by("-pk")
        .first()
    )


def _new_match(need: Need | Request, support: Record, note: str) -> Match:
    # The platform opens it (no help-desk agent took it yet): the console lists it unassigned.
    case = matchmaking.open_case(need, actor=None)
    match = matchmaking.shortlist(case, support, actor=None, note=note)
    return matchmaking.propose(match, actor=None, message=note)


# ---------------------------------------------------------------------------------------------
# What the round table led to


@dataclass(frozen=True)
class Statistics:
    requested: int
    accepted: int
    declined: int
    expired: int
    withdrawn: int
    pending: int
    proposed_by_organisers: int
    scheduled: int
    held: int
    follow_up: int
    match_outcomes: int
    matches: int
    partnerships: int
    cofunding: dict[str, Decimal]

    def public(self) -> dict[str, int | None]:
        """The counts shown to everyone: a count under 5 (but not 0) is not shown, so a small
        round table does not single out who met whom."""
        names = ("requested", "accepted", "scheduled", "held", "follow_up", "matches", "partnerships")
        return {
            name: (value if value == 0 or value >= 5 else None)
            for name in names
            for value in [getattr(self, name)]
        }


def statistics(event: Event) -> Statistics:
    """Meetings requested and how they were answered, scheduled, held (marked held, or an
    outcome recorded by either side), their outcomes (the best either side recorded), the
    matches opened in matchmaking, the cooperations (partnerships) they became, and those
    cooperations' contributions (financial and in kind) summed by currency."""
    rows = MeetingRequest.objects.filter(event=event).order_by().values("status").annotate(n=Count("pk"))
    by_status = {row["status"]: row["n"] for row in rows}
    requested = sum(by_status.values())
    meetings = list(
        Meeting.objects.filter(request__event=event).values_list(
            "held", "requester_outcome", "invitee_outcome", "match_id"
        )
    )
    outcomes = [Meeting(requester_outcome=r, invitee_outcome=i).outcome for _held, r, i, _match in meetings]
    match_ids = {match for *_rest, match in meetings if match is not None}
    cooperations = Cooperation.objects.filter(match__in=match_ids)
    cofunding = {
        row["currency"]: row["total"]
        for row in Contribution.objects.filter(cooperation__in=cooperations)
        .values("currency")
        .annotate(total=Sum("amount"))
        .order_by("currency")
    }
    return Statistics(
        requested=requested,
        accepted=by_status.get(RequestStatus.ACCEPTED, 0),
        declined=by_status.get(RequestStatus.DECLINED, 0),
        expired=by_status.get(RequestStatus.EXPIRED, 0),
        withdrawn=by_status.get(RequestStatus.WITHDRAWN, 0),
        pending=by_status.get(RequestStatus.PENDING, 0),
        proposed_by_organisers=MeetingRequest.objects.filter(event=event, proposed_by__isnull=False).count(),
        scheduled=len(meetings),
        held=sum(
            bool(held) or bool(outcome) for (held, *_rest), outcome in zip(meetings, outcomes, strict=True)
        ),
        follow_up=outcomes.count(Outcome.FOLLOW_UP),
        match_outcomes=outcomes.count(Outcome.MATCH),
        matches=len(match_ids),
        partnerships=cooperations.count(),
        cofunding=cofunding,
    )
