"""Who acts for which side of a match: the requester (the owner of the need or request), the
provider (the owner of the support record; for an expert, the expert), and the coordinator
(the help desk and the Secretariat). Nobody answers for a side they do not act for: the
Secretariat coordinates but does not accept or confirm on a Party's or provider's behalf, and
being a superuser changes nothing (the sides are asked with ``permissions.holds_own``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from clearinghouse.accounts import roles
from clearinghouse.accounts.models import COUNTRY_ROLES, ORGANISATION_ROLES, Appointment, Role, User
from clearinghouse.accounts.permissions import holds_own
from clearinghouse.geo.models import Country
from clearinghouse.matchmaking.models import VISIBLE_TO_PROVIDER, Case, Match, MatchState
from clearinghouse.needs.models import Need, Request
from clearinghouse.organisations.models import Organisation, OrganisationType
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record
from clearinghouse.support.models import Expert
from clearinghouse.support.permissions import has_expert_profile

RESPOND = "matchmaking.respond_to_match"


def is_coordinator(user: Any) -> bool:
    return bool(user.has_perm("helpdesk.handle_requests"))


def support_owner(match: Match) -> Country | Organisation:
    owner = match.support_owner_country or match.support_owner_organisation
    if owner is None:
        raise ValueError(f"match {match.pk} has no support owner")
    return owner


def acts_for_requester(user: Any, subject: Case | Need | Request) -> bool:
    record = subject.subject if isinstance(subject, Case) else subject
    return holds_own(user, RESPOND, record.owner)


def may_reopen(user: Any, case: Case) -> bool:
    """Who may send a direct answer back: the requester's people, and the help desk itself."""
    return is_coordinator(user) or acts_for_requester(user, case)


def acts_for_provider(user: Any, match: Match) -> bool:
    # An expert answers for themselves; a profile without an account falls to its owner.
    if match.support_expert_id is not None:
        return bool(getattr(user, "is_authenticated", False) and user.pk == match.support_expert_id)
    return holds_own(user, RESPOND, support_owner(match))


def acts_for_support_record(user: Any, record: Record) -> bool:
    if isinstance(record, Expert) and record.expert_user_id is not None:
        return bool(getattr(user, "is_authenticated", False) and user.pk == record.expert_user_id)
    return holds_own(user, RESPOND, record.owner)


def can_see(user: Any, match: Match) -> bool:
    """The coordinator and the requester always; the provider once the match is proposed."""
    if is_coordinator(user) or acts_for_requester(user, match.case):
        return True
    return match.state in VISIBLE_TO_PROVIDER and acts_for_provider(user, match)


def contact_shared(match: Match) -> bool:
    """The requester agreed to share its contact details: in the request, or by confirming."""
    request = match.case.request
    return match.confirmed_at is not None or (request is not None and request.consent_to_share)


def can_see_contact(user: Any, match: Match) -> bool:
    return is_coordinator(user) or acts_for_requester(user, match.case) or contact_shared(match)


def people_of(owner: Country | Organisation) -> list[User]:
    """Everyone appointed to act for a Party or an organisation."""
    appointments = Appointment.objects.filter(ended_at__isnull=True).select_related("user")
    if isinstance(owner, Country):
        appointments = appointments.filter(country=owner, role__in=sorted(COUNTRY_ROLES))
    else:
        appointments = appointments.filter(organisation=owner, role__in=sorted(ORGANISATION_ROLES))
    return [appointment.user for appointment in appointments]


def people_for_support(record: Record) -> list[User]:
    """Who answers for a support record: an expert with an account, else its owner's people."""
    if isinstance(record, Expert) and record.expert_user is not None:
        return [record.expert_user]
    return people_of(record.owner)


def requester_people(case: Case) -> list[User]:
    return people_of(case.subject.owner)


def provider_people(match: Match) -> list[User]:
    if match.support_expert is not None:
        return [match.support_expert]
    return people_of(support_owner(match))


def _scopes(user: Any) -> tuple[set[int], set[int]]:
    """The Parties and organisations this person answers for (ids): the same scopes as the
    respond_to_match rule, where IPLC representatives act for IPLC organisations only."""
    countries = roles.countries_for(user, *COUNTRY_ROLES)
    organisations = roles.organisations_for(user, Role.PARTNER_EDITOR) | set(
        Organisation.objects.filter(
            pk__in=roles.organisations_for(user, Role.IPLC_REPRESENTATIVE), type=OrganisationType.IPLC
        ).values_list("pk", flat=True)
    )
    return countries, organisations


def matches_of(user: Any) -> Q:
    """The condition for the matches this person acts in, for the requester or the provider."""
    countries, organisations = _scopes(user)
    requester = (
        Q(case__request__owner_country__in=countries)
        | Q(case__request__owner_organisation__in=organisations)
        | Q(case__need__owner_country__in=countries)
        | Q(case__need__owner_organisation__in=organisations)
    )
    provider = (
        Q(support_expert__isnull=True)
        & (Q(support_owner_country__in=countries) | Q(support_owner_organisation__in=organisations))
    ) | Q(support_expert=user.pk)
    return requester | (provider & Q(state__in=sorted(VISIBLE_TO_PROVIDER)))


def support_records_of(user: Any, subject: Need | Request | None = None) -> list[Record]:
    """The published, current support records this person may put forward ("I can help"): those
    of the Parties and organisations they act for, and their own expert profiles (an expert with
    an account answers for themselves, as in ``acts_for_support_record``). For a ``subject``,
    the requester's own records are left out. One query per type of support."""
    if not getattr(user, "is_authenticated", False):
        return []
    countries, organisations = _scopes(user)
    owned = Q(owner_country__in=countries) | Q(owner_organisation__in=organisations)
    found: list[Record] = []
    for record_type in registry.on_side("support"):
        condition = owned
        if issubclass(record_type.model, Expert):
            condition = (Q(expert_user__isnull=True) & owned) | Q(expert_user=user.pk)
        records = record_type.matchable(with_facts=False).filter(condition)
        if subject is not None:
            records = records.exclude(
                Q(owner_country__isnull=False, owner_country_id=subject.owner_country_id)
                | Q(owner_organisation__isnull=False, owner_organisation_id=subject.owner_organisation_id)
            )
        found += records.select_related("owner_country", "owner_organisation").order_by("identifier")
    return found


def not_the_requesters(records: list[Record], subject: Need | Request) -> list[Record]:
    """The records (of ``support_records_of``) that are not the requester's own, as
    ``support_records_of`` leaves them out for a subject, without querying again."""
    return [
        record
        for record in records
        if not (record.owner_country_id is not None and record.owner_country_id == subject.owner_country_id)
        and not (
            record.owner_organisation_id is not None
            and record.owner_organisation_id == subject.owner_organisation_id
        )
    ]


def help_desk() -> list[User]:
    """The help-desk agents, told of what no agent has taken yet (a provider's offer of help)."""
    appointments = Appointment.objects.filter(ended_at__isnull=True, role=Role.HELPDESK_AGENT)
    return [appointment.user for appointment in appointments.select_related("user").order_by("pk")]


def coordinators(match: Match) -> list[User]:
    """Who coordinates the match: the case's agent and whoever shortlisted it; for a provider's
    offer that no agent has taken, every help-desk agent."""
    people = [
        person
        for person in (match.case.assigned_to, match.created_by)
        if person is not None and (not match.offered_by_provider or is_coordinator(person))
    ]
    if people or not match.offered_by_provider:
        return list(dict.fromkeys(people))
    return help_desk()


def actions_for(user: Any, match: Match) -> list[str]:
    """The steps this person may take on the match now (the services check the same rules)."""
    coordinator = is_coordinator(user)
    requester = acts_for_requester(user, match.case)
    provider = acts_for_provider(user, match)
    party = coordinator or requester or provider
    state = MatchState(match.state)
    allowed: list[str] = []
    if state == MatchState.SUGGESTED and coordinator:
        allowed += ["propose", "cancel"]
    elif state == MatchState.PROPOSED:
        allowed += ["accept", "decline"] if provider else []
        allowed += ["cancel"] if party else []
    elif state in {MatchState.ACCEPTED, MatchState.OFFERED}:
        allowed += ["confirm"] if requester else []
        allowed += ["cancel"] if party else []
    elif state in _NEXT and party:
        allowed += [_NEXT[state], "cancel"]
    elif state == MatchState.COMPLETED and (requester or provider):
        allowed.append("rate")
    # "Not relevant" is feedback on suggested support; a peer exchange pairs two needs.
    if (requester or provider or coordinator) and not match.exchange:
        allowed.append("not_relevant")
    return allowed


_NEXT = {MatchState.CONFIRMED: "agree", MatchState.AGREED: "start", MatchState.IN_PROGRESS: "complete"}


def waiting_on(match: Match) -> str:
    """Whose move it is: "coordinator", "provider", "requester", "requester_and_coordinator"
    (a provider's offer: the help desk looks at it, the requester confirms it), "either", or ""
    when none."""
    return {
        MatchState.SUGGESTED: "coordinator",
        MatchState.PROPOSED: "provider",
        MatchState.OFFERED: "requester_and_coordinator",
        MatchState.ACCEPTED: "requester",
        MatchState.CONFIRMED: "either",
        MatchState.AGREED: "either",
        MatchState.IN_PROGRESS: "either",
    }.get(MatchState(match.state), "")


# The answers a side gives: the provider accepts (or declines) a proposal, the requester confirms.
_ANSWERS = frozenset({"accept", "confirm"})


def awaiting_answer(user: Any, limit: int = 50) -> list[Match]:
    """The matches waiting for this person's answer, oldest change first: proposals to a provider
    they act for, acceptances for a requester they act for (``actions_for`` decides)."""
    if not getattr(user, "is_authenticated", False):
        return []
    candidates = (
        Match.objects.filter(matches_of(user), state__in=[MatchState.PROPOSED, MatchState.ACCEPTED])
        .select_related(
            "case__request__owner_country",
            "case__request__owner_organisation",
            "case__need__owner_country",
            "case__need__owner_organisation",
            "support_owner_country",
            "support_owner_organisation",
        )
        .order_by("changed_at", "pk")[:limit]
    )
    return [match for match in candidates if _ANSWERS & set(actions_for(user, match))]


def may_have_matches(user: Any) -> bool:
    """Whether the person acts for any side of a match: for a Party or an organisation, or as an
    expert with a profile (the people ``matches_of`` finds matches for)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if roles.countries_for(user, *COUNTRY_ROLES) or roles.organisations_for(user, *ORGANISATION_ROLES):
        return True
    return has_expert_profile(user)
