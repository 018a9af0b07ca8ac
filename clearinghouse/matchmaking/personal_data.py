"""matchmaking's part of a person's data (accounts.personal_data): the cases they opened (with
their words when they asked the help desk), were assigned or circulated, the matches they
proposed or are the expert of, each step they took, and answers."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from clearinghouse.accounts import personal_data
from clearinghouse.accounts.models import User
from clearinghouse.matchmaking.models import Case, Match, MatchEvent, Response


def participation(user: User) -> dict[str, Any]:
    cases = Case.objects.filter(Q(opened_by=user) | Q(assigned_to=user) | Q(circulated_by=user))
    matches = Match.objects.filter(Q(created_by=user) | Q(support_expert=user))
    return {
        "cases": [
            {
                "case": case.pk,
                "state": case.state,
                "opened_at": case.opened_at,
                "opened_by_you": case.opened_by_id == user.pk,
                "assigned_to_you": case.assigned_to_id == user.pk,
                "your_request_to_the_help_desk": case.request_note if case.opened_by_id == user.pk else "",
                "circulated_by_you": case.circulated_by_id == user.pk,
            }
            for case in cases.order_by("pk")
        ],
        "matches": [
            {
                "match": match.pk,
                "case": match.case_id,
                "support_record": match.support_identifier,
                "state": match.state,
                "proposed_by_you": match.created_by_id == user.pk,
                "you_are_the_expert": match.support_expert_id == user.pk,
            }
            for match in matches.order_by("pk")
        ],
        "steps": list(MatchEvent.objects.filter(by=user).values("match", "state", "at", "note")),
        "answers": list(
            Response.objects.filter(Q(answered_by=user) | Q(reopened_by=user)).values(
                "case", "answered_at", "reopened_at", "reopen_reason"
            )
        ),
    }


def register() -> None:
    personal_data.register("matchmaking", participation)
