"""What monitoring counts of matchmaking: cases opened, matches made, the cooperations they
became, the Parties cooperating, co-funding and outcomes. Loaded from MatchmakingConfig.ready()."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from clearinghouse.matchmaking.models import (
    Case,
    Contribution,
    Cooperation,
    CooperationParty,
    Match,
    Outcome,
)
from clearinghouse.publishing.measures import Dimensions, country_dimensions, owner_dimensions
from clearinghouse.publishing.registry import Measure, register_measure


def _requester(case: str) -> Dimensions:
    """The requesting Party's dimensions, from the case at ``case``: its request's or need's
    owner (a case has one of the two)."""
    prefix = f"{case}__" if case else ""
    return owner_dimensions(f"{prefix}request", f"{prefix}need")


register_measure(
    Measure(
        code="matchmaking.cases",
        label=_("Matchmaking cases opened"),
        area="matchmaking",
        rows=Case.objects.all,
        date="opened_at",
        dimensions=_requester(""),
        activities="request__plan_activities__number",
    )
)
# Made when both sides said yes: the provider accepted (or offered) and the requester confirmed.
register_measure(
    Measure(
        code="matchmaking.matches",
        label=_("Matches made"),
        area="matchmaking",
        rows=lambda: Match.objects.filter(confirmed_at__isnull=False),
        date="confirmed_at",
        dimensions=_requester("case"),
        activities="case__request__plan_activities__number",
    )
)
register_measure(
    Measure(
        code="matchmaking.cooperations",
        label=_("Cooperations started"),
        area="matchmaking",
        rows=Cooperation.objects.all,
        date="start_date",
        dimensions={"kind": "kind", **_requester("match__case")},
        activities="match__case__request__plan_activities__number",
    )
)
register_measure(
    Measure(
        code="matchmaking.parties_cooperating",
        label=_("Parties taking part in cooperations"),
        area="matchmaking",
        rows=lambda: CooperationParty.objects.annotate(
            cooperating_party=Coalesce("country__code", "organisation__country__code")
        ),
        date="cooperation__start_date",
        aggregate="distinct",
        of="cooperating_party",
        dimensions={
            "role": "role",
            "kind": "cooperation__kind",
            **country_dimensions("country", "organisation__country"),
        },
        activities="cooperation__match__case__request__plan_activities__number",
    )
)
register_measure(
    Measure(
        code="matchmaking.cofunding",
        label=_("Co-funding of cooperations"),
        area="matchmaking",
        rows=Contribution.objects.all,
        date="cooperation__start_date",
        aggregate="sum",
        of="amount",
        currency="currency",
        dimensions={
            "kind": "kind",
            **country_dimensions("contributor_country", "contributor_organisation__country"),
        },
        activities="cooperation__match__case__request__plan_activities__number",
    )
)
register_measure(
    Measure(
        code="matchmaking.outcomes",
        label=_("Outcomes of support reported"),
        area="matchmaking",
        rows=Outcome.objects.all,
        date="reported_at",
        dimensions=_requester("match__case"),
        activities="match__case__request__plan_activities__number",
    )
)


# South–South and triangular cooperation (decision XIII/23, paragraphs 5(b), 5(j) and 6): the
# peer exchanges proposed between Parties, those agreed and those completed, each by the kind of
# exchange and the requesting Party's region, on the date each stage was reached.
def _exchanges() -> QuerySet[Match]:
    return Match.objects.exclude(exchange="")


register_measure(
    Measure(
        code="matchmaking.peer_exchanges",
        label=_("Peer exchanges proposed"),
        area="matchmaking",
        rows=_exchanges,
        date="created_at",
        dimensions={"kind": "exchange", **_requester("case")},
        activities="case__request__plan_activities__number",
    )
)
register_measure(
    Measure(
        code="matchmaking.peer_exchanges_agreed",
        label=_("Peer exchanges agreed"),
        area="matchmaking",
        rows=lambda: Cooperation.objects.exclude(match__exchange=""),
        date="start_date",
        dimensions={"kind": "match__exchange", **_requester("match__case")},
        activities="match__case__request__plan_activities__number",
    )
)
register_measure(
    Measure(
        code="matchmaking.peer_exchanges_completed",
        label=_("Peer exchanges completed"),
        area="matchmaking",
        rows=lambda: Outcome.objects.exclude(match__exchange=""),
        date="reported_at",
        dimensions={"kind": "match__exchange", **_requester("match__case")},
        activities="match__case__request__plan_activities__number",
    )
)
