"""A ticket that asks for a partner becomes a matchmaking case, without retyping.

The case needs a published need or request: the one the ticket links, or (when the requester is
signed in) one of their Party's published open needs that the agent picks. Nothing is invented:
with no such record, the agent is told what to link. The case is opened by the matchmaking
services, with the ticket's first message as the requester's words; the ticket and the case stay
two things, each with its own life, and know each other (``ticket.case``, ``case.tickets``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from clearinghouse.accounts import roles
from clearinghouse.accounts.models import COUNTRY_ROLES
from clearinghouse.helpdesk.models import EventKind, Kind, RecordLink, Ticket
from clearinghouse.helpdesk.services import HelpdeskError, _locked, _record, _require_agent
from clearinghouse.matchmaking import services as matchmaking
from clearinghouse.matchmaking import sides
from clearinghouse.matchmaking.models import Case
from clearinghouse.needs.models import Need, NeedStatus, Request


def _linked(ticket: Ticket) -> list[Need | Request]:
    """The published needs and requests the ticket links, in the order they were linked."""
    identifiers = list(RecordLink.objects.filter(ticket=ticket).values_list("identifier", flat=True))
    found: dict[str, Need | Request] = {}
    for model in (Need, Request):
        for record in model.objects.filter(identifier__in=identifiers, live=True):
            found[record.identifier] = record
    return [found[identifier] for identifier in identifiers if identifier in found]


def _requester_parties(ticket: Ticket) -> set[int]:
    """The Parties the signed-in requester is known by: the ticket's, and those they act for."""
    if ticket.requester is None:
        return set()
    parties = roles.countries_for(ticket.requester, *COUNTRY_ROLES)
    if ticket.country_id is not None:
        parties.add(ticket.country_id)
    return parties


def candidates(ticket: Ticket) -> list[Need | Request]:
    """The records a case can be opened on: the published needs and requests the ticket links,
    then (signed-in requester) their Party's published open needs."""
    records = _linked(ticket)
    parties = _requester_parties(ticket)
    if parties:
        seen = {record.identifier for record in records}
        records += [
            need
            for need in Need.objects.filter(
                owner_country_id__in=parties, live=True, status=NeedStatus.OPEN
            ).order_by("identifier")
            if need.identifier not in seen
        ]
    return records


def what_is_needed(ticket: Ticket) -> str:
    """What the agent must do before a case can be opened (empty when a record is there)."""
    if candidates(ticket):
        return ""
    return _(
        "A matchmaking case is opened on a published need or request: link the published need or "
        "request this ticket is about, or ask the requester to publish their need first."
    )


@transaction.atomic
def open_case(ticket: Ticket, *, actor: Any, identifier: str = "") -> Case:
    """Open (or join) the matchmaking case of the published need or request the ticket is about,
    with the ticket's first message as the requester's words; the ticket keeps the case and its
    history says so. ``identifier`` picks among ``candidates`` (the first by default)."""
    _require_agent(actor, ticket)
    ticket = _locked(ticket)
    if ticket.case_id is not None:
        raise HelpdeskError(_("This ticket already has a matchmaking case."), code="has_case")
    found = candidates(ticket)
    if not found:
        raise HelpdeskError({"identifier": what_is_needed(ticket)}, code="no_record")
    wanted = identifier.strip().upper()
    record = next((record for record in found if record.identifier == wanted), None) if wanted else found[0]
    if record is None:
        raise HelpdeskError(
            {"identifier": _("Choose one of the published needs and requests offered.")}, code="not_offered"
        )
    # The desk's agents act here; the matchmaking service admits the help desk's coordinators,
    # and otherwise opens the case as the platform (its rules on the record still apply).
    field_name = "request" if isinstance(record, Request) else "need"
    existed = Case.objects.filter(**{field_name: record}).exists()
    try:
        case = matchmaking.open_case(record, actor=actor if sides.is_coordinator(actor) else None)
    except matchmaking.MatchmakingError as error:
        raise HelpdeskError(error.messages, code="matchmaking") from error
    changed = []
    first = ticket.articles.filter(kind=Kind.MESSAGE).order_by("created_at", "pk").first()
    if not case.request_note and first is not None:
        case.request_note = first.body
        changed.append("request_note")
    if not existed and case.opened_by_id is None:
        case.opened_by = actor
        changed.append("opened_by")
    if changed:
        case.save(update_fields=changed)
    ticket.case = case
    ticket.save(update_fields=["case"])
    if not RecordLink.objects.filter(ticket=ticket, identifier=record.identifier).exists():
        RecordLink.objects.create(ticket=ticket, identifier=record.identifier, linked_by=actor)
    _record(ticket, EventKind.CASE, actor, record.identifier)
    return case
