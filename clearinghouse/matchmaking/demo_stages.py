"""More demo cases and matches (data/demo-matches.yaml), so that every stage of matchmaking
shows: open cases given to an agent, a need circulated to providers, a case answered directly,
and matches shortlisted, proposed, offered by their provider, accepted, confirmed, agreed with
co-funding, under way, completed with an outcome, declined and cancelled. Through the same
services people use; idempotent (a case that has its answer or match already is left alone)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.management.base import CommandError
from django.db.models import Q

from clearinghouse.accounts.demo import demo_owner, demo_person
from clearinghouse.accounts.models import User
from clearinghouse.core.demo import days_from_today, demo_data
from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.models import CaseState, Match, MatchState
from clearinghouse.needs.demo_records import NEED_PREFIX
from clearinghouse.needs.models import Need, Request
from clearinghouse.publishing.demo import owner_filter
from clearinghouse.publishing.models import Record
from clearinghouse.support.demo_records import demo_support
from clearinghouse.support.models import BY_SLUG

# The order of the steps a match takes towards each stage.
STEPS = ("suggested", "proposed", "accepted", "confirmed", "agreed", "in_progress", "completed")


def _subject(scene: dict[str, Any]) -> Need | Request:
    if "need" in scene:
        need = Need.objects.filter(import_key=NEED_PREFIX + scene["need"], live=True).first()
        if need is None:
            raise CommandError(f"Demo need {scene['need']} is missing: the needs demo data must load first.")
        return need
    request = Request.objects.filter(needs__import_key=NEED_PREFIX + scene["request"], live=True).first()
    if request is None:
        raise CommandError(f"The demo request for {scene['request']} is missing.")
    return request


def _support(reference: str | dict[str, str]) -> Record:
    if isinstance(reference, str):
        return demo_support(reference)
    owner = demo_owner(reference["owner"])
    owned = owner_filter(owner)
    found = BY_SLUG[reference["type"]].objects.filter(live=True, **owned).order_by("pk").first()
    if found is None:
        raise CommandError(f"Demo {reference['type']} of {reference['owner']} is missing.")
    return found


def _person(scene: dict[str, Any], side: str) -> User | None:
    return demo_person(scene[side]) if side in scene else None


def _cooperation(details: dict[str, Any]) -> services.CooperationInput:
    return services.CooperationInput(
        kind=details["kind"],
        description=details["description"],
        language=details["language"],
        start_date=days_from_today(details["start"]),
        end_date=days_from_today(details["end"]),
        contributions=[
            services.ContributionInput(
                demo_owner(item["by"]),
                Decimal(item["amount"]),
                item["currency"],
                item["kind"],
                item["covers"],
            )
            for item in details["contributions"]
        ],
        other_parties=details.get("other_parties", []),
    )


def _case_scene(scene: dict[str, Any]) -> None:
    opener = demo_person(scene.get("opened_by", "helpdesk"))
    case = services.open_case(_subject(scene), actor=opener)
    if "assign" in scene:
        agent = demo_person(scene["assign"])
        if case.assigned_to_id != agent.pk:
            services.assign(case, actor=opener, agent=agent)
    if scene.get("circulate"):
        services.circulate(case.subject, actor=opener)
    answer = scene.get("answer")
    if answer and case.state == CaseState.OPEN and not case.responses.exists():
        services.answer_directly(
            case,
            actor=demo_person("helpdesk"),
            text=answer["text"],
            language=answer["language"],
            resources=[demo_support(key).identifier for key in answer["resources"]],
        )


def _offered_scene(scene: dict[str, Any]) -> None:
    """A provider's own offer ("I can help"): no shortlist, the provider's person offers it."""
    subject, support = _subject(scene), _support(scene["support"])
    concerning = Q(case__request=subject) if isinstance(subject, Request) else Q(case__need=subject)
    if Match.objects.filter(concerning, support_identifier=support.identifier).exists():
        return
    services.offer_help(subject, support, actor=demo_person(scene["provider"]), message=scene["message"])


def _match_scene(scene: dict[str, Any], agent: User) -> None:
    if scene["stage"] == "offered":
        _offered_scene(scene)
        return
    case = services.open_case(_subject(scene), actor=agent)
    support = _support(scene["support"])
    if case.matches.filter(support_identifier=support.identifier).exists():
        return
    if case.state == CaseState.OPEN:
        services.send_to_matchmaking(case, actor=agent)
    stage = scene["stage"]
    provider, requester = _person(scene, "provider"), _person(scene, "requester")
    match = services.shortlist(case, support, actor=agent)
    if stage == "suggested":
        return
    services.propose(match, actor=agent, message=scene["message"])
    if stage == "declined":
        services.decline(match, actor=provider, reason=scene["reason"])
        return
    reached = STEPS.index(stage) if stage in STEPS else STEPS.index("accepted")
    if reached >= STEPS.index("accepted"):
        services.accept(match, actor=provider, note=scene.get("accepted", ""))
    if reached >= STEPS.index("confirmed"):
        services.confirm(match, actor=requester, note=scene.get("confirmed", ""))
    if reached >= STEPS.index("agreed"):
        services.agree(match, actor=agent, details=_cooperation(scene["cooperation"]))
    if reached >= STEPS.index("in_progress"):
        services.start(match, actor=agent, note=scene.get("started", ""))
    if reached >= STEPS.index("completed"):
        outcome = scene["outcome"]
        services.complete(
            match,
            actor=requester,
            results=outcome["results"],
            lessons=outcome.get("lessons", ""),
            language=outcome["language"],
            satisfaction=outcome.get("satisfaction"),
        )
    if stage == "cancelled":
        services.cancel(match, actor=agent, reason=scene["reason"])


def load() -> list[str]:
    data = demo_data("clearinghouse.matchmaking", "demo-matches.yaml")
    agent = demo_person("helpdesk")
    for scene in data["cases"]:
        _case_scene(scene)
    for scene in data["matches"]:
        _match_scene(scene, agent)
    states = sorted(set(Match.objects.values_list("state", flat=True)))
    labels = ", ".join(str(MatchState(state).label).lower() for state in states)
    return [f"{'Matches (/matchmaking/)':32} {Match.objects.count()}: {labels}"]
