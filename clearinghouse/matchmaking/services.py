"""Every step of triage and of a match's lifecycle, as small typed functions: each checks who may
take it, changes the state in one transaction, records the step, moves the needs' statuses along
and e-mails the people concerned once the change is committed. Views, the demo data and the
tests all go through here.

    open → answered (a direct answer) → open again (reopened, with a reason)
    open → in matchmaking → closed (once a match is completed and none is live)

    suggested → proposed → accepted → confirmed → agreed → in progress → completed
                         ↘ declined
    any state but declined, completed and cancelled → cancelled (with a reason)
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.geo.models import Country
from clearinghouse.matching.profiles import Explanation
from clearinghouse.matchmaking import notifications, sides, tasks
from clearinghouse.matchmaking.currencies import is_currency
from clearinghouse.matchmaking.models import (
    ACTIVE_STATES,
    FINAL_STATES,
    LIVE_STATES,
    Case,
    CaseState,
    Contribution,
    ContributionKind,
    Cooperation,
    CooperationKind,
    CooperationParty,
    ExchangeKind,
    Feedback,
    Match,
    MatchEvent,
    MatchState,
    Outcome,
    PartyRole,
    Response,
)
from clearinghouse.needs import services as need_services
from clearinghouse.needs.models import NEED_PROGRESS, Need, NeedStatus, Request, StatusReason
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record
from clearinghouse.support.models import Expert, Resource

# A need that no longer takes offers of help.
CLOSED_NEED_STATUSES = frozenset({NeedStatus.ADDRESSED, NeedStatus.WITHDRAWN})


def is_support(record: object) -> bool:
    """Whether the record is support a need can be matched with: a type registered on the
    support side of matching (publishing.registry)."""
    if not isinstance(record, Record):
        return False
    try:
        return registry.of(record).side == "support"
    except LookupError:
        return False


class MatchmakingError(ValidationError):
    """A step that cannot be taken now, or with these values; the message says why."""


class NotAllowedError(PermissionDenied):
    """The person does not act for the side that takes this step."""


@dataclass(frozen=True)
class ContributionInput:
    contributor: Country | Organisation
    amount: Decimal
    currency: str
    kind: str = ContributionKind.FINANCIAL
    description: str = ""


@dataclass(frozen=True)
class CooperationInput:
    kind: str
    description: str
    language: str
    start_date: date
    end_date: date | None = None
    contributions: Sequence[ContributionInput] = field(default_factory=tuple)
    other_parties: Sequence[str] = field(default_factory=tuple)


# ---------------------------------------------------------------------------------------------
# Who may


def _require_coordinator(actor: User | None) -> None:
    # None is the platform itself (a signal, the demo data).
    if actor is not None and not sides.is_coordinator(actor):
        raise NotAllowedError(_("Only the help desk can do this."))


def _require_provider(actor: User | None, match: Match) -> None:
    if actor is not None and not sides.acts_for_provider(actor, match):
        raise NotAllowedError(_("Only the provider of this support can answer this proposal."))


def _require_requester(actor: User | None, match: Match) -> None:
    if actor is not None and not sides.acts_for_requester(actor, match.case):
        raise NotAllowedError(_("Only the requester can confirm this match."))


def _require_party(actor: User | None, match: Match) -> None:
    """The coordinator, or someone acting for either side."""
    if actor is not None and not (
        sides.is_coordinator(actor)
        or sides.acts_for_requester(actor, match.case)
        or sides.acts_for_provider(actor, match)
    ):
        raise NotAllowedError(_("Only the help desk and the two sides of this match can do this."))


def _text(value: str, message: str, name: str) -> str:
    value = (value or "").strip()
    if not value:
        raise MatchmakingError({name: message}, code="required")
    return value


# ---------------------------------------------------------------------------------------------
# Needs follow their matches


# The status a need reaches through a match in each state (a shortlist is internal: none).
_NEED_STATUS = {
    MatchState.PROPOSED: NeedStatus.IN_MATCHMAKING,
    MatchState.OFFERED: NeedStatus.IN_MATCHMAKING,
    MatchState.ACCEPTED: NeedStatus.IN_MATCHMAKING,
    MatchState.CONFIRMED: NeedStatus.IN_MATCHMAKING,
    MatchState.AGREED: NeedStatus.MATCHED,
    MatchState.IN_PROGRESS: NeedStatus.SUPPORT_UNDER_WAY,
    MatchState.COMPLETED: NeedStatus.ADDRESSED,
}


def _concerning(need: Need) -> Q:
    return Q(need=need) | Q(request__needs=need)


def _status_from_matches(need: Need) -> NeedStatus:
    states = Match.objects.filter(
        Q(case__need=need) | Q(case__request__needs=need), state__in=sorted(_NEED_STATUS)
    ).values_list("state", flat=True)
    reached = [_NEED_STATUS[MatchState(state)] for state in states]
    if reached:
        return max(reached, key=NEED_PROGRESS.index)
    in_matchmaking = Case.objects.filter(_concerning(need), state=CaseState.IN_MATCHMAKING).exists()
    return NeedStatus.IN_MATCHMAKING if in_matchmaking else NeedStatus.OPEN


def _set_need_status(
    need: Need, status: NeedStatus, actor: User | None, reason: StatusReason, detail: str = ""
) -> None:
    # The match step was authorised by its service; a declined or cancelled match moves the
    # need back, which people themselves cannot do (needs.services.change_status).
    if need.status != status and need.live:
        need_services.record_status(need, status, changed_by=actor, reason=reason, detail=detail)


def _follow(case: Case, actor: User | None, reason: StatusReason, detail: str = "") -> None:
    """Bring the status of each of the case's needs in line with its matches."""
    for need in case.needs():
        need.refresh_from_db(fields=["status", "live"])
        current = NeedStatus(need.status)
        # Withdrawn is the owner's decision, addressed the end of the road: matches leave both.
        if current in {NeedStatus.WITHDRAWN, NeedStatus.ADDRESSED}:
            continue
        _set_need_status(need, _status_from_matches(need), actor, reason, detail)


# ---------------------------------------------------------------------------------------------
# Cases and triage


@transaction.atomic
def open_case(record: Need | Request, *, actor: User | None) -> Case:
    """The help desk's case for a published request, or for a published open need. Opening it
    again returns the case already open."""
    _require_coordinator(actor)
    if not record.live:
        raise MatchmakingError(_("Only a published need or request can be handled."), code="not_published")
    field_name = "request" if isinstance(record, Request) else "need"
    existing = Case.objects.select_for_update().filter(**{field_name: record}).first()
    if existing is not None:
        return existing
    if isinstance(record, Need) and record.status != NeedStatus.OPEN:
        raise MatchmakingError(
            _("Only an open need can be given to the help desk; this one is %(status)s.")
            % {"status": NeedStatus(record.status).label},
            code="not_open",
        )
    case = Case.objects.create(**{field_name: record}, opened_by=actor, assigned_to=actor)
    # The console lists it at once: its suggestions are explained ahead, once it is committed.
    identifier = record.identifier
    transaction.on_commit(lambda: tasks.explain_suggestions([identifier]))
    return case


@transaction.atomic
def assign(case: Case, *, actor: User, agent: User | None) -> Case:
    """Give the case to a help-desk agent (or to nobody)."""
    _require_coordinator(actor)
    if agent is not None and not sides.is_coordinator(agent):
        raise MatchmakingError(_("Cases go to help-desk agents only."), code="not_an_agent")
    case.assigned_to = agent
    case.save(update_fields=["assigned_to"])
    return case


def _active_case(case: Case) -> Case:
    # Only the case's own row is locked: PostgreSQL cannot lock the missing side of an outer join.
    locked = Case.objects.select_for_update(of=("self",)).select_related("request", "need").get(pk=case.pk)
    if not locked.is_active:
        raise MatchmakingError(
            _("This case is %(state)s.") % {"state": CaseState(locked.state).label}, code="case_closed"
        )
    return locked


@transaction.atomic
def answer_directly(
    case: Case, *, actor: User | None, text: str, language: str, resources: Collection[str] = ()
) -> Response:
    """Answer a simple request with a text and published resources: the case is answered and
    its needs are addressed."""
    _require_coordinator(actor)
    case = _active_case(case)
    if case.state != CaseState.OPEN:
        raise MatchmakingError(_("This case is already in matchmaking."), code="in_matchmaking")
    text = _text(text, _("Write the answer."), "text")
    identifiers = [identifier.strip().upper() for identifier in resources if identifier.strip()]
    unknown = [
        identifier
        for identifier in identifiers
        if not isinstance(found := registry.find(identifier), Resource) or not found.live
    ]
    if unknown:
        raise MatchmakingError(
            {
                "resources": _("These are not published resources: %(identifiers)s.")
                % {"identifiers": ", ".join(unknown)}
            },
            code="unknown_resource",
        )
    response = Response.objects.create(
        case=case, text=text, language=language, resources=identifiers, answered_by=actor
    )
    case.state = CaseState.ANSWERED
    case.closed_at = timezone.now()
    case.save(update_fields=["state", "closed_at"])
    for need in case.needs():
        if need.live and need.status not in {NeedStatus.ADDRESSED, NeedStatus.WITHDRAWN}:
            _set_need_status(need, NeedStatus.ADDRESSED, actor, StatusReason.ANSWERED)
    transaction.on_commit(lambda: notifications.answered(case, response))
    return response


@transaction.atomic
def reopen(case: Case, *, actor: User | None, reason: str) -> Case:
    """The requester (or the help desk) says the direct answer did not meet the request: the
    answer is marked reopened with the reason, the case goes back to triage and its needs are
    no longer addressed (unless a completed match addressed them). Only an answered case can be
    reopened: a case closed after a completed cooperation is followed up by a new request."""
    if actor is not None and not sides.may_reopen(actor, case):
        raise NotAllowedError(_("Only the help desk and the requester can reopen this case."))
    case = Case.objects.select_for_update(of=("self",)).select_related("request", "need").get(pk=case.pk)
    if case.state != CaseState.ANSWERED:
        raise MatchmakingError(
            _("Only a case answered directly can be reopened; this one is %(state)s.")
            % {"state": CaseState(case.state).label},
            code="not_answered",
        )
    reason = _text(reason, _("Say why the answer did not meet the request."), "reason")
    answer = case.responses.filter(reopened_at__isnull=True).last()
    if answer is not None:
        answer.reopened_at = timezone.now()
        answer.reopened_by = actor
        answer.reopen_reason = reason
        answer.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    case.state = CaseState.OPEN
    case.closed_at = None
    case.save(update_fields=["state", "closed_at"])
    for need in case.needs():
        need.refresh_from_db(fields=["status", "live"])
        if need.status == NeedStatus.ADDRESSED:
            _set_need_status(need, _status_from_matches(need), actor, StatusReason.ANSWER_REOPENED, reason)
    transaction.on_commit(lambda: notifications.reopened(case, answer, actor))
    return case


@transaction.atomic
def send_to_matchmaking(case: Case, *, actor: User | None) -> Case:
    """The request needs a partner: the case and its needs go into matchmaking."""
    _require_coordinator(actor)
    case = _active_case(case)
    if case.state == CaseState.IN_MATCHMAKING:
        return case
    case.state = CaseState.IN_MATCHMAKING
    case.save(update_fields=["state"])
    _follow(case, actor, StatusReason.SENT_TO_MATCHMAKING)
    return case


def _subject_field(record: Need | Request) -> str:
    return "request" if isinstance(record, Request) else "need"


@transaction.atomic
def ask_help_desk(record: Need | Request, *, actor: User, message: str) -> Case:
    """The requester asks the help desk to look for support (nothing in the registries fits its
    need well yet): the need gets its case, in the console's queue with the requester's words,
    and the help-desk agents are e-mailed. A request has its case from its publication."""
    if not sides.acts_for_requester(actor, record):
        raise NotAllowedError(_("Only the requester can ask the help desk about this need."))
    if not record.live:
        raise MatchmakingError(_("Only a published need or request can be handled."), code="not_published")
    message = _text(message, _("Say what you are looking for."), "message")
    existing = Case.objects.select_for_update().filter(**{_subject_field(record): record}).first()
    if existing is not None:
        raise MatchmakingError(
            _("The help desk already has this need: its case is %(state)s.")
            % {"state": CaseState(existing.state).label.lower()},
            code="has_case",
        )
    if isinstance(record, Need) and record.status != NeedStatus.OPEN:
        raise MatchmakingError(
            _("Only an open need can be given to the help desk; this one is %(status)s.")
            % {"status": NeedStatus(record.status).label},
            code="not_open",
        )
    case = Case.objects.create(**{_subject_field(record): record}, opened_by=actor, request_note=message)
    identifier = record.identifier
    transaction.on_commit(lambda: tasks.explain_suggestions([identifier]))
    transaction.on_commit(lambda: notifications.asked(case))
    return case


@transaction.atomic
def circulate(record: Need | Request, *, actor: User | None) -> Case:
    """Offer a need or request to providers, when nothing suggested fits it well: its case
    (opened if need be) goes into matchmaking and it is listed on "Needs seeking support", where
    providers with published support say "I can help"; the providers of its best suggestions
    are e-mailed (after the commit, by a job). Circulating it again changes nothing."""
    _require_coordinator(actor)
    if not takes_offers(record):
        raise MatchmakingError(
            _("This need no longer takes offers of help: it cannot be circulated."), code="closed"
        )
    case = _active_case(open_case(record, actor=actor))
    if case.state == CaseState.OPEN:
        case.state = CaseState.IN_MATCHMAKING
        case.save(update_fields=["state"])
        _follow(case, actor, StatusReason.SENT_TO_MATCHMAKING)
    if case.circulated_at is None:
        case.circulated_at, case.circulated_by = timezone.now(), actor
        case.save(update_fields=["circulated_at", "circulated_by"])
        case_id = case.pk
        transaction.on_commit(lambda: tasks.tell_providers(case_id))
    return case


def seeking_support() -> list[Case]:
    """The circulated needs and requests that still take offers of help, last circulated first."""
    cases = (
        Case.objects.filter(circulated_at__isnull=False, state__in=ACTIVE_STATES)
        .select_related(
            "request__owner_country",
            "request__owner_organisation",
            "need__owner_country",
            "need__owner_organisation",
        )
        .order_by("-circulated_at", "-pk")
    )
    return [
        case
        for case in cases
        if case.subject.live
        and not (isinstance(case.subject, Need) and case.subject.status in CLOSED_NEED_STATUSES)
    ]


# ---------------------------------------------------------------------------------------------
# Matches


def _locked(match: Match) -> Match:
    return (
        Match.objects.select_for_update(of=("self",))
        .select_related("case__request", "case__need")
        .get(pk=match.pk)
    )


def _step(
    match: Match, actor: User | None, to: MatchState, allowed: Collection[MatchState], note: str
) -> Match:
    if match.state not in allowed:
        raise MatchmakingError(
            _("This match is %(state)s: it cannot be %(step)s now.")
            % {"state": MatchState(match.state).label.lower(), "step": to.label.lower()},
            code="wrong_state",
        )
    match.state = to
    match.changed_at = timezone.now()
    match.save(update_fields=["state", "changed_at", "confirmed_at", "message"])
    MatchEvent.objects.create(match=match, state=to, at=match.changed_at, by=actor, note=note)
    return match


def _new_match(case: Case, support: Record, **fields: Any) -> Match:
    """An unsaved match of ``support`` for ``case``, carrying who the support belongs to."""
    return Match(
        case=case,
        support_type=ContentType.objects.get_for_model(support),
        support_id=support.pk,
        support_identifier=support.identifier,
        support_owner_country=support.owner_country,
        support_owner_organisation=support.owner_organisation,
        support_expert=support.expert_user if isinstance(support, Expert) else None,
        **fields,
    )


@transaction.atomic
def shortlist(
    case: Case,
    support: Record,
    *,
    actor: User | None,
    score: float | None = None,
    explanation: Explanation | None = None,
    note: str = "",
) -> Match:
    """Put a published support record on the case's shortlist, with the engine's score and
    explanation as they were when it was chosen."""
    _require_coordinator(actor)
    case = _active_case(case)
    if not is_support(support) or not support.live:
        raise MatchmakingError(
            _("Only published offers, providers, experts, resources and opportunities can be matched."),
            code="not_support",
        )
    match = _new_match(
        case,
        support,
        score=score,
        explanation=asdict(explanation) if explanation is not None else {},
        created_by=actor,
    )
    try:
        with transaction.atomic():
            match.save()
    except IntegrityError:
        raise MatchmakingError(
            _("%(identifier)s is already matched with this case.") % {"identifier": support.identifier},
            code="duplicate",
        ) from None
    MatchEvent.objects.create(
        match=match, state=MatchState.SUGGESTED, at=match.created_at, by=actor, note=note
    )
    return match


@transaction.atomic
def propose(match: Match, *, actor: User | None, message: str) -> Match:
    """Put the match to the provider, with the coordinator's message."""
    _require_coordinator(actor)
    match = _locked(match)
    match.message = _text(message, _("Write a message to the provider."), "message")
    case = _active_case(match.case)
    if case.state == CaseState.OPEN:
        case.state = CaseState.IN_MATCHMAKING
        case.save(update_fields=["state"])
    _step(match, actor, MatchState.PROPOSED, {MatchState.SUGGESTED}, match.message)
    _follow(match.case, actor, StatusReason.MATCH_PROPOSED, match.support_identifier)
    transaction.on_commit(lambda: notifications.step(match))
    return match


def takes_offers(subject: Need | Request) -> bool:
    """Whether providers may offer help on the need or request now: it is published, not
    addressed or withdrawn, and its case (if it has one yet) is open or in matchmaking."""
    if not subject.live:
        return False
    if isinstance(subject, Need) and subject.status in CLOSED_NEED_STATUSES:
        return False
    case = Case.objects.filter(**{"request" if isinstance(subject, Request) else "need": subject}).first()
    return case is None or case.is_active


def _case_taking_offers(subject: Need | Request) -> Case:
    """The case an offer of help on this need or request goes to, opened (for the platform) when
    there is none yet; refused when the need or request no longer takes offers."""
    if not subject.live:
        raise MatchmakingError(
            _("Only a published need or request can be offered help."), code="not_published"
        )
    if isinstance(subject, Need) and subject.status in {NeedStatus.ADDRESSED, NeedStatus.WITHDRAWN}:
        raise MatchmakingError(
            _("This need is %(status)s: it no longer takes offers of help.")
            % {"status": NeedStatus(subject.status).label.lower()},
            code="closed",
        )
    field_name = "request" if isinstance(subject, Request) else "need"
    case = Case.objects.select_for_update(of=("self",)).filter(**{field_name: subject}).first()
    if case is None:
        case = Case.objects.create(**{field_name: subject})
        identifier = subject.identifier
        transaction.on_commit(lambda: tasks.explain_suggestions([identifier]))
    if not case.is_active:
        raise MatchmakingError(
            _("The help desk's case for it is %(state)s: it no longer takes offers of help.")
            % {"state": CaseState(case.state).label.lower()},
            code="closed",
        )
    return case


@transaction.atomic
def offer_help(subject: Need | Request, support: Record, *, actor: User, message: str) -> Match:
    """ "I can help": a provider puts one of its published support records forward for a
    published need or request. The match starts as *offered*: the help desk sees it in its
    console and may cancel it, the requester confirms it (sharing its contact) or cancels it;
    both are e-mailed."""
    if not (is_support(support) and support.live):
        raise MatchmakingError(
            {
                "support": _(
                    "Only published offers, providers, experts, resources and opportunities can be proposed."
                )
            },
            code="not_support",
        )
    if not registry.of(support).matchable_identifiers({support.identifier}):
        raise MatchmakingError(
            {
                "support": _("%(identifier)s is closed or unavailable: it cannot be proposed now.")
                % {"identifier": support.identifier}
            },
            code="not_current",
        )
    if not sides.acts_for_support_record(actor, support):
        raise NotAllowedError(_("You can only propose support that you act for."))
    if support.owner == subject.owner:
        raise MatchmakingError(
            {"support": _("This support belongs to the requester itself.")}, code="own_support"
        )
    message = _text(message, _("Say how you can help."), "message")
    case = _case_taking_offers(subject)
    if case.matches.filter(
        support_type=ContentType.objects.get_for_model(support),
        support_id=support.pk,
        state__in=sorted(str(state) for state in set(MatchState) - FINAL_STATES),
    ).exists():
        raise MatchmakingError(
            {
                "support": _("%(identifier)s is already proposed for this need or request.")
                % {"identifier": support.identifier}
            },
            code="duplicate",
        )
    now = timezone.now()
    match = _new_match(
        case,
        support,
        state=MatchState.OFFERED,
        offered_by_provider=True,
        message=message,
        created_by=actor,
        created_at=now,
        changed_at=now,
    )
    try:
        with transaction.atomic():
            match.save()
    except IntegrityError:
        # Two offers of the same support at once: the constraint keeps one.
        raise MatchmakingError(
            {
                "support": _("%(identifier)s is already proposed for this need or request.")
                % {"identifier": support.identifier}
            },
            code="duplicate",
        ) from None
    MatchEvent.objects.create(match=match, state=MatchState.OFFERED, at=now, by=actor, note=message)
    if case.state == CaseState.OPEN:
        case.state = CaseState.IN_MATCHMAKING
        case.save(update_fields=["state"])
    # The provider's offer is a proposal too: the needs' history says so in the reader's language.
    _follow(case, actor, StatusReason.MATCH_PROPOSED, support.identifier)
    transaction.on_commit(lambda: notifications.step(match))
    return match


def _require_requester_or_coordinator(actor: User | None, need: Need) -> None:
    if actor is not None and not (sides.is_coordinator(actor) or sides.acts_for_requester(actor, need)):
        raise NotAllowedError(_("Only the need's Party and the help desk can propose a peer exchange."))


def _check_counterpart(need: Need, peer: Country, counterpart: Need | None) -> Need:
    """The peer Party's published need the exchange is about: refused when the peer is the
    need's own Party, has no published need, or the need chosen is not one of its own."""
    if peer.pk == need.owner_country_id:
        raise MatchmakingError(
            {"peer": _("A Party cannot propose a peer exchange to itself.")}, code="own_party"
        )
    published = Need.objects.filter(live=True, owner_country=peer).exclude(status=NeedStatus.WITHDRAWN)
    if not published.exists():
        raise MatchmakingError(
            {"peer": _("%(party)s has no published need to exchange on.") % {"party": peer.name()}},
            code="no_published_need",
        )
    if counterpart is None or not published.filter(pk=counterpart.pk).exists():
        raise MatchmakingError(
            {"counterpart": _("Choose one of the published needs of %(party)s.") % {"party": peer.name()}},
            code="not_the_peers",
        )
    return counterpart


@transaction.atomic
def propose_peer_exchange(
    need: Need,
    peer: Country,
    *,
    counterpart: Need | None,
    actor: User | None,
    message: str,
    funder: Country | Organisation | None = None,
) -> Match:
    """A South–South exchange between a Party's published need and a peer Party that has a
    similar need or addressed one (``counterpart``, the peer's published need), proposed by the
    need's Party or the help desk; triangular when a third party (``funder``, a Party or an
    organisation) funds it. It is followed like any match: the peer's people answer it as a
    provider does, the requester confirms, and agreeing makes it a South–South or triangular
    cooperation with the funder among its parties."""
    if not need.live or need.owner_country_id is None:
        raise MatchmakingError(
            _("Only a published need of a Party can be the subject of a peer exchange."), code="not_published"
        )
    _require_requester_or_coordinator(actor, need)
    counterpart = _check_counterpart(need, peer, counterpart)
    if funder is not None and funder in (need.owner, peer):
        raise MatchmakingError(
            {
                "funder": _(
                    "The funder of a triangular exchange is a third party, neither of the two Parties."
                )
            },
            code="funder_is_a_side",
        )
    message = _text(message, _("Write a message to the peer Party."), "message")
    case = _case_taking_offers(need)
    live = case.matches.filter(
        exchange__gt="", support_owner_country=peer, state__in=sorted(str(state) for state in LIVE_STATES)
    )
    if live.exists():
        raise MatchmakingError(
            {
                "peer": _("An exchange with %(party)s is already under way for this need.")
                % {"party": peer.name()}
            },
            code="duplicate",
        )
    now = timezone.now()
    match = _new_match(
        case,
        counterpart,
        state=MatchState.PROPOSED,
        exchange=ExchangeKind.TRIANGULAR if funder is not None else ExchangeKind.SOUTH_SOUTH,
        funder_country=funder if isinstance(funder, Country) else None,
        funder_organisation=funder if isinstance(funder, Organisation) else None,
        message=message,
        created_by=actor,
        created_at=now,
        changed_at=now,
    )
    try:
        with transaction.atomic():
            match.save()
    except IntegrityError:
        raise MatchmakingError(
            {
                "peer": _("An exchange with %(party)s is already under way for this need.")
                % {"party": peer.name()}
            },
            code="duplicate",
        ) from None
    MatchEvent.objects.create(match=match, state=MatchState.PROPOSED, at=now, by=actor, note=message)
    if case.state == CaseState.OPEN:
        case.state = CaseState.IN_MATCHMAKING
        case.save(update_fields=["state"])
    _follow(case, actor, StatusReason.MATCH_PROPOSED, counterpart.identifier)
    transaction.on_commit(lambda: notifications.step(match))
    return match


@transaction.atomic
def accept(match: Match, *, actor: User | None, note: str = "") -> Match:
    match = _locked(match)
    _require_provider(actor, match)
    _step(match, actor, MatchState.ACCEPTED, {MatchState.PROPOSED}, note.strip())
    transaction.on_commit(lambda: notifications.step(match))
    return match


@transaction.atomic
def decline(match: Match, *, actor: User | None, reason: str) -> Match:
    match = _locked(match)
    _require_provider(actor, match)
    reason = _text(reason, _("Say why you decline."), "reason")
    _step(match, actor, MatchState.DECLINED, {MatchState.PROPOSED}, reason)
    _follow(match.case, actor, StatusReason.MATCH_DECLINED, match.support_identifier)
    transaction.on_commit(lambda: notifications.step(match))
    return match


@transaction.atomic
def confirm(match: Match, *, actor: User | None, note: str = "") -> Match:
    """The requester confirms the provider's acceptance (or its offer of help); its contact
    details are shared from now."""
    match = _locked(match)
    _require_requester(actor, match)
    match.confirmed_at = timezone.now()
    # A provider's own offer needs no acceptance: the requester confirms it directly.
    _step(match, actor, MatchState.CONFIRMED, {MatchState.ACCEPTED, MatchState.OFFERED}, note.strip())
    transaction.on_commit(lambda: notifications.step(match))
    return match


def _check_cooperation(details: CooperationInput) -> None:
    errors: dict[str, list[str]] = {}
    if details.kind not in CooperationKind.values:
        errors.setdefault("kind", []).append(_("Choose the type of cooperation."))
    if not details.description.strip():
        errors.setdefault("description", []).append(_("Describe the cooperation."))
    if details.end_date is not None and details.end_date < details.start_date:
        errors.setdefault("end_date", []).append(_("The end comes before the start."))
    for number, contribution in enumerate(details.contributions, start=1):
        if contribution.amount < 0:
            errors.setdefault("contributions", []).append(
                _("Contribution %(number)d: the amount cannot be negative.") % {"number": number}
            )
        if not is_currency(contribution.currency):
            errors.setdefault("contributions", []).append(
                _("Contribution %(number)d: %(code)s is not an ISO 4217 currency code.")
                % {"number": number, "code": contribution.currency}
            )
        if contribution.kind not in ContributionKind.values:
            errors.setdefault("contributions", []).append(
                _("Contribution %(number)d: say whether it is financial or in kind.") % {"number": number}
            )
    if errors:
        raise MatchmakingError(errors, code="invalid")


@transaction.atomic
def agree(match: Match, *, actor: User | None, details: CooperationInput) -> Cooperation:
    """Both sides agreed: the match becomes a cooperation, with its parties and contributions."""
    match = _locked(match)
    _require_party(actor, match)
    _check_cooperation(details)
    if match.exchange and details.kind != match.exchange:
        raise MatchmakingError(
            {
                "kind": _("This peer exchange is agreed as %(kind)s.")
                % {"kind": CooperationKind(match.exchange).label}
            },
            code="exchange_kind",
        )
    _step(match, actor, MatchState.AGREED, {MatchState.CONFIRMED}, "")
    cooperation = Cooperation.objects.create(
        match=match,
        kind=details.kind,
        description=details.description.strip(),
        language=details.language,
        start_date=details.start_date,
        end_date=details.end_date,
        created_by=actor,
    )
    requester, provider = match.case.subject.owner, sides.support_owner(match)
    parties = [(PartyRole.REQUESTER, requester), (PartyRole.PROVIDER, provider)]
    if match.funder is not None:
        # A triangular exchange: its funder is a party to the cooperation from the start.
        parties.append((PartyRole.OTHER, match.funder))
    CooperationParty.objects.bulk_create(
        [
            CooperationParty(
                cooperation=cooperation,
                role=role,
                country=owner if isinstance(owner, Country) else None,
                organisation=owner if isinstance(owner, Organisation) else None,
            )
            for role, owner in parties
        ]
        + [
            CooperationParty(cooperation=cooperation, role=PartyRole.OTHER, name=name.strip()[:200])
            for name in details.other_parties
            if name.strip()
        ]
    )
    Contribution.objects.bulk_create(
        [
            Contribution(
                cooperation=cooperation,
                contributor_country=item.contributor if isinstance(item.contributor, Country) else None,
                contributor_organisation=item.contributor
                if isinstance(item.contributor, Organisation)
                else None,
                amount=item.amount,
                currency=item.currency.upper(),
                kind=item.kind,
                description=item.description.strip()[:300],
            )
            for item in details.contributions
        ]
    )
    _follow(match.case, actor, StatusReason.MATCH_AGREED, match.support_identifier)
    transaction.on_commit(lambda: notifications.step(match))
    return cooperation


@transaction.atomic
def start(match: Match, *, actor: User | None, note: str = "") -> Match:
    match = _locked(match)
    _require_party(actor, match)
    _step(match, actor, MatchState.IN_PROGRESS, {MatchState.AGREED}, note.strip())
    _follow(match.case, actor, StatusReason.SUPPORT_STARTED, match.support_identifier)
    transaction.on_commit(lambda: notifications.step(match))
    return match


def _rate(outcome: Outcome, match: Match, actor: User | None, satisfaction: int | None) -> None:
    """Each side gives its own satisfaction; the help desk gives none."""
    if satisfaction is None or actor is None:
        return
    if not 1 <= satisfaction <= 5:
        raise MatchmakingError({"satisfaction": _("Give a satisfaction from 1 to 5.")}, code="satisfaction")
    if sides.acts_for_requester(actor, match.case):
        outcome.requester_satisfaction, outcome.requester_rated_by = satisfaction, actor
    elif sides.acts_for_provider(actor, match):
        outcome.provider_satisfaction, outcome.provider_rated_by = satisfaction, actor
    else:
        raise NotAllowedError(_("Only the requester and the provider rate their own satisfaction."))


@transaction.atomic
def complete(
    match: Match,
    *,
    actor: User | None,
    results: str,
    lessons: str = "",
    language: str,
    satisfaction: int | None = None,
) -> Outcome:
    """The support was given: the outcome is reported, the needs are addressed, and the case
    closes once none of its matches is still live."""
    match = _locked(match)
    _require_party(actor, match)
    outcome = Outcome(
        match=match,
        results=_text(results, _("Describe the results."), "results"),
        lessons=lessons.strip(),
        language=language,
        reported_by=actor,
    )
    _rate(outcome, match, actor, satisfaction)
    _step(match, actor, MatchState.COMPLETED, {MatchState.IN_PROGRESS}, "")
    outcome.save()
    _close_if_done(match.case)
    _follow(match.case, actor, StatusReason.SUPPORT_COMPLETED, match.support_identifier)
    transaction.on_commit(lambda: notifications.step(match))
    return outcome


@transaction.atomic
def rate(match: Match, *, actor: User, satisfaction: int) -> Outcome:
    """The other side's satisfaction, after the outcome was reported."""
    match = _locked(match)
    _require_party(actor, match)
    outcome = Outcome.objects.select_for_update().filter(match=match).first()
    if outcome is None:
        raise MatchmakingError(_("There is no outcome report to rate yet."), code="no_outcome")
    _rate(outcome, match, actor, satisfaction)
    outcome.save()
    return outcome


def _close_if_done(case: Case) -> None:
    """Close the case once none of its matches is live and one of them was completed: a case
    whose matches all fell through stays open for another try."""
    live = case.matches.exclude(state__in=sorted(FINAL_STATES))
    if (
        case.state == CaseState.IN_MATCHMAKING
        and not live.exists()
        and case.matches.filter(state=MatchState.COMPLETED).exists()
    ):
        case.state = CaseState.CLOSED
        case.closed_at = timezone.now()
        case.save(update_fields=["state", "closed_at"])


@transaction.atomic
def cancel(match: Match, *, actor: User | None, reason: str) -> Match:
    """Stop a match at any state before its end. The help desk may cancel a shortlisted match;
    the two sides, any match they have been told of."""
    match = _locked(match)
    if match.state == MatchState.SUGGESTED:
        _require_coordinator(actor)
    else:
        _require_party(actor, match)
    reason = _text(reason, _("Say why the match is cancelled."), "reason")
    live = set(MatchState) - FINAL_STATES
    _step(match, actor, MatchState.CANCELLED, live, reason)
    _follow(match.case, actor, StatusReason.MATCH_CANCELLED, match.support_identifier)
    transaction.on_commit(lambda: notifications.step(match))
    return match


# ---------------------------------------------------------------------------------------------
# Feedback


@transaction.atomic
def mark_not_relevant(
    subject: Need | Request, support_identifier: str, *, actor: User, reason: str
) -> Feedback:
    """Someone for the requester, for the provider, or the help desk says this support does not
    fit this need: the matcher ranks it far lower for it from now on."""
    support = registry.find(support_identifier)
    if support is None or not is_support(support):
        raise MatchmakingError(
            _("%(identifier)s is not a support record.") % {"identifier": support_identifier}, code="unknown"
        )
    if not (
        sides.is_coordinator(actor)
        or sides.acts_for_requester(actor, subject)
        or sides.acts_for_support_record(actor, support)
    ):
        raise NotAllowedError(_("Only the help desk, the requester and the provider can say this."))
    reason = _text(reason, _("Say why it is not relevant."), "reason")
    field_name = "request" if isinstance(subject, Request) else "need"
    return Feedback.objects.create(
        **{field_name: subject},
        support_identifier=support.identifier,
        reason=reason[:500],
        given_by=actor,
    )
