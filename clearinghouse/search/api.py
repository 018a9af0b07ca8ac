"""GET /api/v1/search/: the search service over HTTP, with the page's parameters."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearinghouse.core.languages import CONTENT_LANGUAGES, content_language
from clearinghouse.search import identifiers, service
from clearinghouse.search.documents import FILTER_PARAMETERS, MAX_PAGE_SIZE, SORTS, SearchQuery
from clearinghouse.search.labels import facet_title

FACET_CODE_LENGTH = 100


class SearchParameters(serializers.Serializer[Any]):
    q = serializers.CharField(required=False, allow_blank=True, trim_whitespace=True, default="")
    published_from = serializers.DateField(required=False, default=None)
    published_to = serializers.DateField(required=False, default=None)
    sort = serializers.ChoiceField(choices=list(SORTS), required=False, default="relevance")
    page = serializers.IntegerField(
        min_value=1, max_value=service.MAX_RESULT_WINDOW, required=False, default=1
    )
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False, default=20)
    language = serializers.ChoiceField(choices=list(CONTENT_LANGUAGES), required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # DRF reads an empty query parameter as an absent one; the schema calls it invalid.
        for name in ("published_from", "published_to", "sort", "page", "page_size", "language"):
            if name in self.initial_data and not str(self.initial_data.get(name)).strip():
                raise ValidationError(
                    {name: ErrorDetail(str(_("This field may not be blank.")), code="blank")}
                )
        return attrs

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in FILTER_PARAMETERS.values():
            # Blank values (an empty form field) are left out rather than refused.
            self.fields[name] = serializers.ListField(
                child=serializers.CharField(max_length=FACET_CODE_LENGTH, allow_blank=True),
                required=False,
                default=list,
            )


class SearchHitSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="Stable public identifier of the record.")
    record_type = serializers.CharField()
    title = serializers.CharField(help_text="In the language asked for when there is one, else the original.")
    title_language = serializers.CharField()
    snippet = serializers.CharField(help_text="Safe HTML: escaped text with <mark> around the matched words.")
    snippet_language = serializers.CharField()
    by_meaning = serializers.BooleanField(
        help_text="Found by meaning: none of the query's words (nor their names in the other "
        "languages) is in the record."
    )
    score = serializers.FloatField(help_text="Relevance; comparable only within one response.")
    published_at = serializers.DateTimeField()
    url = serializers.CharField()


class SearchResultSerializer(serializers.Serializer[Any]):
    total = serializers.IntegerField()
    approximate = serializers.BooleanField(help_text="The total is an estimate (very large result sets).")
    approximate_facets = serializers.ListField(
        child=serializers.CharField(),
        help_text="The facets whose counts are estimates (very large result sets).",
    )
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    notice = serializers.CharField(
        allow_null=True,
        help_text="Set when the query was shortened or partly ignored, in the request's language.",
    )
    hits = SearchHitSerializer(many=True)
    facets = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="Per facet, the number of matches for each value, most frequent first. A filtered "
        "facet is counted without its own filter.",
    )


def _facet_parameter(facet: str) -> OpenApiParameter:
    return OpenApiParameter(
        FILTER_PARAMETERS[facet],
        {"type": "array", "items": {"type": "string", "maxLength": FACET_CODE_LENGTH}},
        explode=True,
        description=f"Filter: {facet_title(facet)} (code; repeat for any of several).",
    )


class SearchView(APIView):
    """Full-text search over every published record, with filters and facet counts."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="search",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description='Words to look for; "quotes" for a phrase.'),
            *[_facet_parameter(facet) for facet in FILTER_PARAMETERS],
            OpenApiParameter("published_from", OpenApiTypes.DATE, description="Published on or after (UTC)."),
            OpenApiParameter("published_to", OpenApiTypes.DATE, description="Published on or before (UTC)."),
            OpenApiParameter("sort", OpenApiTypes.STR, enum=list(SORTS), description="Order of the hits."),
            OpenApiParameter(
                "page",
                {"type": "integer", "minimum": 1, "maximum": service.MAX_RESULT_WINDOW},
                description="Page number, from 1.",
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                description="Hits per page.",
            ),
            OpenApiParameter(
                "language",
                OpenApiTypes.STR,
                enum=list(CONTENT_LANGUAGES),
                description="Language of titles and snippets when records have it (default: the request's).",
            ),
        ],
        responses=SearchResultSerializer,
    )
    def get(self, request: Request) -> Response:
        parameters = SearchParameters(data=request.query_params)
        parameters.is_valid(raise_exception=True)
        data = parameters.validated_data
        query = SearchQuery(
            text=data["q"],
            filters={facet: data[name] for facet, name in FILTER_PARAMETERS.items() if data.get(name)},
            published_from=data["published_from"],
            published_to=data["published_to"],
            sort=data["sort"],
            page=data["page"],
            page_size=data["page_size"],
            language=data.get("language") or content_language(),
        )
        result = identifiers.with_identified_first(query, service.search(query))
        body = {
            "total": result.total,
            "approximate": result.approximate,
            "approximate_facets": list(result.approximate_facets),
            "page": result.page,
            "page_size": result.page_size,
            "notice": result.notice,
            "hits": [asdict(hit) for hit in result.hits],
            "facets": result.facets,
        }
        return Response(SearchResultSerializer(body).data)
