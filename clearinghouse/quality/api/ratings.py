"""Participants' ratings in the API, read-only: the average and count of a published record's
ratings, or of several records' at once (no rater and no comment: those stay on the pages)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearinghouse.publishing import registry
from clearinghouse.quality import ratings
from clearinghouse.quality.items import RATED_TYPES

MAX_IDENTIFIERS = 100
IDENTIFIER_LENGTH = 40


class RatingSummarySerializer(serializers.Serializer[object]):
    identifier = serializers.CharField(help_text="The record's identifier (CB-EVENT-KE-000003).")
    record_type = serializers.CharField(help_text="EVENT, COURSE, RES or OFFER.")
    count = serializers.IntegerField(help_text="How many participants rated it.")
    average = serializers.FloatField(
        allow_null=True, help_text="The average stars (1 to 5); null when unrated."
    )
    by_stars = serializers.DictField(
        child=serializers.IntegerField(), help_text='Ratings by number of stars: {"5": 12, "4": 3, ...}.'
    )


def _rated(identifiers: list[str]) -> dict[str, str]:
    """The published, rated records among the identifiers: identifier -> record type."""
    found: dict[str, str] = {}
    for record_type, wanted in registry.by_type(identifiers).items():
        if record_type.code in RATED_TYPES:
            live = record_type.live().filter(identifier__in=wanted).values_list("identifier", flat=True)
            found |= dict.fromkeys(live, record_type.code)
    return found


def _data(identifier: str, record_type: str, summary: ratings.Summary) -> dict[str, Any]:
    return {
        "identifier": identifier,
        "record_type": record_type,
        "count": summary.count,
        "average": round(summary.average, 2) if summary.average is not None else None,
        "by_stars": {str(stars): summary.by_stars.get(stars, 0) for stars in ratings.STARS},
    }


class RatingSummaries(APIView):
    """The ratings of published events, courses, resources and offers, by identifier."""

    @extend_schema(
        operation_id="quality_ratings_list",
        parameters=[
            OpenApiParameter(
                "identifier",
                {
                    "type": "array",
                    "items": {"type": "string", "maxLength": IDENTIFIER_LENGTH},
                    "minItems": 1,
                    "maxItems": MAX_IDENTIFIERS,
                },
                explode=True,
                required=True,
                description=f"A record's identifier; repeat for several (at most {MAX_IDENTIFIERS}). "
                "Identifiers of no published event, course, resource or offer are left out of the answer.",
            )
        ],
        responses=RatingSummarySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        given = request.query_params.getlist("identifier")
        if not given:
            raise ValidationError({"identifier": [_("Give at least one identifier.")]})
        if len(given) > MAX_IDENTIFIERS:
            raise ValidationError(
                {"identifier": [_("Give at most %(count)d identifiers.") % {"count": MAX_IDENTIFIERS}]}
            )
        if any(len(value) > IDENTIFIER_LENGTH for value in given):
            raise ValidationError(
                {
                    "identifier": [
                        _("An identifier has at most %(count)d characters.") % {"count": IDENTIFIER_LENGTH}
                    ]
                }
            )
        wanted = list(dict.fromkeys(value.strip().upper() for value in given if value.strip()))
        rated = _rated(wanted)
        found = ratings.summaries(rated)
        data = [
            _data(identifier, rated[identifier], found.get(identifier, ratings.Summary()))
            for identifier in wanted
            if identifier in rated
        ]
        return Response(RatingSummarySerializer(data, many=True).data)


class RatingSummary(APIView):
    """The ratings of one published event, course, resource or offer."""

    @extend_schema(operation_id="quality_ratings_retrieve", responses=RatingSummarySerializer)
    def get(self, request: Request, identifier: str) -> Response:
        identifier = identifier.upper()
        rated = _rated([identifier])
        if identifier not in rated:
            raise NotFound
        return Response(
            RatingSummarySerializer(_data(identifier, rated[identifier], ratings.summary(identifier))).data
        )
