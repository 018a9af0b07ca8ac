"""E-mails at each step of a match, to each recipient in their own language, through the job
queue (the platform's e-mail backend queues every message). The provider's people get the
requester's contact details only once the requester agreed to share them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from clearinghouse.accounts.models import User
from clearinghouse.core.mail import send_templated, site_url
from clearinghouse.core.multilingual import show
from clearinghouse.matchmaking import ranking, sides
from clearinghouse.matchmaking.models import Case, Match, MatchState, Response

_REQUESTER, _PROVIDER, _COORDINATOR = "requester", "provider", "coordinator"
# Who hears of each step.
_AUDIENCE: dict[str, tuple[str, ...]] = {
    MatchState.PROPOSED: (_PROVIDER,),
    MatchState.OFFERED: (_REQUESTER, _COORDINATOR),
    MatchState.ACCEPTED: (_REQUESTER, _COORDINATOR),
    MatchState.DECLINED: (_REQUESTER, _COORDINATOR),
    MatchState.CONFIRMED: (_PROVIDER, _COORDINATOR),
    MatchState.AGREED: (_REQUESTER, _PROVIDER, _COORDINATOR),
    MatchState.IN_PROGRESS: (_REQUESTER, _PROVIDER, _COORDINATOR),
    MatchState.COMPLETED: (_REQUESTER, _PROVIDER, _COORDINATOR),
    MatchState.CANCELLED: (_REQUESTER, _PROVIDER, _COORDINATOR),
}


def contacts(case: Case) -> list[tuple[str, str]]:
    """The requester's contact people: those of the case's needs."""
    return sorted(
        {
            (need.contact_name, need.contact_email)
            for need in case.needs()
            if need.contact_email or need.contact_name
        }
    )


def _title(record: Any) -> str:
    return show(getattr(record, "title", None) or {}, record.original_language).text or record.identifier


def _deliver(person: User, template: str, context: dict[str, Any]) -> None:
    def built() -> dict[str, Any]:
        values = context | {"person": person, "site_url": site_url("")}
        for key in ("subject", "support"):
            if key in values:
                values[f"{key}_title"] = _title(values[key])
        # Reversed here, for the link to open in the recipient's language.
        if "match" in values:
            values["url"] = site_url(reverse("matchmaking:match", args=[values["match"].pk]))
        elif values.get("side") == _COORDINATOR:
            values["url"] = site_url(reverse("matchmaking:case", args=[values["case"].pk]))
        elif values.get("side") == _PROVIDER:
            # A need circulated to providers: where they say "I can help".
            values["url"] = site_url(reverse("matchmaking:offer_help", args=[values["subject"].identifier]))
        elif "case" in values:
            # Where the requester reads the answers and may reopen them.
            values["url"] = site_url(reverse("matchmaking:record", args=[values["subject"].identifier]))
        else:
            values["url"] = site_url(values["subject"].get_absolute_url())
        return values

    send_templated(
        f"matchmaking/email/{template}", built, to=person.email, language=person.preferred_language
    )


def step(match: Match) -> None:
    """Tell the people concerned of the match's latest step."""
    match = Match.objects.select_related(
        "case__request", "case__need", "case__assigned_to", "created_by", "support_expert"
    ).get(pk=match.pk)
    event = match.events.select_related("by").order_by("-at", "-pk").first()
    audience = _AUDIENCE.get(match.state, ())
    recipients: dict[User, str] = {}
    if _COORDINATOR in audience:
        for person in sides.coordinators(match):
            recipients.setdefault(person, _COORDINATOR)
    if _REQUESTER in audience:
        for person in sides.requester_people(match.case):
            recipients[person] = _REQUESTER
    if _PROVIDER in audience:
        for person in sides.provider_people(match):
            recipients[person] = _PROVIDER
    shared = contacts(match.case) if sides.contact_shared(match) else []
    base = {
        "match": match,
        "subject": match.case.subject,
        "support": match.support,
        "event": event,
        "state": match.state,
    }
    for person, side in _with_email(recipients.items()):
        # Only the provider's people need the contacts, and only once shared.
        _deliver(person, "step", base | {"side": side, "contacts": shared if side == _PROVIDER else []})


def answered(case: Case, response: Response) -> None:
    for person, _side in _with_email((person, _REQUESTER) for person in sides.requester_people(case)):
        _deliver(
            person,
            "answered",
            {
                "case": case,
                "subject": case.subject,
                "response": response,
            },
        )


def reopened(case: Case, answer: Response | None, actor: User | None) -> None:
    """Tell the requester's people and the help desk's people on the case (who answered, who has
    it) that the answer was reopened and why; not the person who reopened it."""
    recipients: dict[User, str] = dict.fromkeys(sides.requester_people(case), _REQUESTER)
    for person in (case.assigned_to, answer.answered_by if answer else None):
        if person is not None:
            recipients[person] = _COORDINATOR
    if actor is not None:
        recipients.pop(actor, None)
    for person, side in _with_email(recipients.items()):
        _deliver(
            person,
            "reopened",
            {"case": case, "subject": case.subject, "response": answer, "side": side, "by": actor},
        )


def asked(case: Case) -> None:
    """Tell the help-desk agents that a requester asked them to look for support, with its words."""
    for person, side in _with_email((person, _COORDINATOR) for person in sides.help_desk()):
        _deliver(
            person,
            "asked",
            {"case": case, "subject": case.subject, "side": side, "by": case.opened_by},
        )


# The providers told of a circulated need: those of its best suggestions, whatever their band
# (nothing fits it well, but they are the nearest to it).
CIRCULATED_TO = 10


def circulated(case: Case) -> int:
    """Tell the people of the support nearest to a need the help desk circulated (its best
    suggestions) that partners are sought, with the way to say "I can help"; never the
    requester's own people. Returns how many were told."""
    subject = case.subject
    requester = set(sides.requester_people(case))
    recipients: dict[User, str] = {}
    for item in ranking.support_for(subject, limit=CIRCULATED_TO).items:
        for person in sides.people_for_support(item.record):
            if person not in requester:
                recipients.setdefault(person, _PROVIDER)
    told = _with_email(recipients.items())
    for person, side in told:
        _deliver(person, "circulated", {"case": case, "subject": subject, "side": side})
    return len(told)


def _with_email(people: Iterable[tuple[User, str]]) -> list[tuple[User, str]]:
    return [(person, side) for person, side in people if person.email]
