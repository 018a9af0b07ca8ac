from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from clearinghouse.matchmaking import sides
from clearinghouse.matchmaking.api.serializers import MatchSerializer
from clearinghouse.matchmaking.models import Match


class MatchViewSet(viewsets.ReadOnlyModelViewSet[Match]):
    """The signed-in person's own matches: those of the Parties and organisations they act for,
    as requester or provider (a provider sees a match once it is proposed)."""

    permission_classes = [IsAuthenticated]
    serializer_class = MatchSerializer

    def get_queryset(self) -> QuerySet[Match]:
        matches: QuerySet[Any] = Match.objects.filter(sides.matches_of(self.request.user))
        return (
            matches.select_related("case__request", "case__need", "cooperation")
            .prefetch_related(
                "events",
                "cooperation__contributions__contributor_country",
                "cooperation__contributions__contributor_organisation",
            )
            .order_by("-changed_at", "-pk")
        )
