from __future__ import annotations

from typing import Any

from rest_framework import serializers

from clearinghouse.matchmaking.models import Contribution, Cooperation, Match, MatchEvent, MatchState

# States as plain text: an enum named "state" would collide with the records' StateEnum.
_STATES = ", ".join(MatchState.values)


class MatchEventSerializer(serializers.ModelSerializer[MatchEvent]):
    state = serializers.CharField(help_text=f"The state the match reached: {_STATES}.")

    class Meta:
        model = MatchEvent
        fields = ["state", "at", "note"]


class ContributionSerializer(serializers.ModelSerializer[Contribution]):
    contributor = serializers.SerializerMethodField(
        help_text="ISO code of the Party, or the organisation's code."
    )

    class Meta:
        model = Contribution
        fields = ["contributor", "amount", "currency", "kind", "description"]

    def get_contributor(self, contribution: Contribution) -> str:
        return str(contribution.contributor.code)


class CooperationSerializer(serializers.ModelSerializer[Cooperation]):
    contributions = ContributionSerializer(many=True, read_only=True)

    class Meta:
        model = Cooperation
        fields = ["kind", "description", "language", "start_date", "end_date", "contributions"]


class MatchSerializer(serializers.ModelSerializer[Match]):
    """A match as its two sides see it: the contact details of the need are not part of it."""

    need = serializers.SerializerMethodField(help_text="Identifier of the need or request.")
    support = serializers.CharField(
        source="support_identifier", help_text="Identifier of the support record."
    )
    url = serializers.SerializerMethodField(help_text="The match's page.")
    history = MatchEventSerializer(source="events", many=True, read_only=True)
    cooperation = serializers.SerializerMethodField()
    state = serializers.CharField(help_text=f"One of {_STATES}.")
    exchange = serializers.CharField(
        help_text="A peer exchange between two Parties: south_south or triangular (the support is "
        "then the peer Party's need); empty for a match with support."
    )

    class Meta:
        model = Match
        fields = [
            "id",
            "url",
            "need",
            "support",
            "state",
            "exchange",
            "message",
            "created_at",
            "changed_at",
            "history",
            "cooperation",
        ]

    def get_need(self, match: Match) -> str:
        return match.case.subject.identifier

    def get_url(self, match: Match) -> str:
        return str(self.context["request"].build_absolute_uri(match.get_absolute_url()))

    def get_cooperation(self, match: Match) -> dict[str, Any] | None:
        found = getattr(match, "cooperation", None)
        return dict(CooperationSerializer(found).data) if found is not None else None
