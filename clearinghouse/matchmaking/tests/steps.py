"""A match taken through its steps by the people who take them (helpers of the tests)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from clearinghouse.core.testing import World
from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.models import Case, Match
from clearinghouse.needs.models import Need, Request
from clearinghouse.publishing.models import Record


def case_for(world: World, subject: Need | Request) -> Case:
    case = services.open_case(subject, actor=world.helpdesk_agent)
    return services.send_to_matchmaking(case, actor=world.helpdesk_agent)


def proposed(world: World, subject: Need | Request, support: Record) -> Match:
    match = services.shortlist(case_for(world, subject), support, actor=world.helpdesk_agent)
    return services.propose(
        match, actor=world.helpdesk_agent, message="Nature Kenya runs exactly this training."
    )


def confirmed(world: World, subject: Need | Request, support: Record) -> Match:
    match = services.accept(proposed(world, subject, support), actor=world.partner_editor)
    return services.confirm(match, actor=world.authorised_user)


def cooperation_details(world: World, **changes: object) -> services.CooperationInput:
    values: dict[str, object] = {
        "kind": "training",
        "description": "Five days of training of trainers in Nairobi, then field practice at border posts.",
        "language": "en",
        "start_date": date(2026, 9, 1),
        "end_date": date(2027, 3, 1),
        "contributions": [
            services.ContributionInput(world.kenyan_ngo, Decimal("12000"), "USD", "financial"),
            services.ContributionInput(world.kenya, Decimal("8000.50"), "USD", "in_kind", "Venue and travel"),
            services.ContributionInput(world.kenya, Decimal("500000"), "KES", "financial"),
        ],
        "other_parties": ["Kenya Plant Health Inspectorate Service"],
    } | changes
    return services.CooperationInput(**values)  # type: ignore[arg-type]


def agreed(world: World, subject: Need | Request, support: Record) -> Match:
    match = confirmed(world, subject, support)
    services.agree(match, actor=world.helpdesk_agent, details=cooperation_details(world))
    match.refresh_from_db()
    return match


def in_progress(world: World, subject: Need | Request, support: Record) -> Match:
    return services.start(agreed(world, subject, support), actor=world.partner_editor)
