"""Translation requests and the coverage by language, read-only and public."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearinghouse.api.filters import or_any
from clearinghouse.core.languages import CONTENT_LANGUAGES, LANGUAGE_CHOICES
from clearinghouse.translation import coverage
from clearinghouse.translation.api.serializers import CoverageSerializer, TranslationRequestSerializer
from clearinghouse.translation.models import RequestState, TranslationRequest


class RequestFilter(filters.FilterSet):
    state = filters.ChoiceFilter(
        choices=or_any(RequestState.choices), empty_label=None, label=gettext_lazy("State")
    )
    language = filters.ChoiceFilter(
        choices=or_any(LANGUAGE_CHOICES), empty_label=None, label=gettext_lazy("Language")
    )
    record_type = filters.CharFilter(label=gettext_lazy("Type of record"))
    identifier = filters.CharFilter(label=gettext_lazy("Record"))

    class Meta:
        model = TranslationRequest
        fields = ["state", "language", "record_type", "identifier"]


class TranslationRequestList(generics.ListAPIView[TranslationRequest]):
    """Translation requests, oldest first: which record is wanted in which language, and where
    each request stands (no requester or translator is named)."""

    permission_classes = [AllowAny]
    serializer_class = TranslationRequestSerializer
    filterset_class = RequestFilter

    def get_queryset(self) -> QuerySet[TranslationRequest]:
        return TranslationRequest.objects.annotate(asked_by=Count("requesters")).order_by("created_at", "pk")


class Coverage(APIView):
    """Per record type and language: published records with and without texts in the language,
    and translation requests waiting or in progress."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="translation_coverage",
        parameters=[
            OpenApiParameter(
                "record_type",
                str,
                description="One record type's code (NEED, RES...); a code of no type gives no rows.",
            ),
            # Empty means every language, as a form sends it.
            OpenApiParameter(
                "language", str, enum=["", *CONTENT_LANGUAGES], description="One language (empty: all)."
            ),
        ],
        responses=CoverageSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        record_type = request.query_params.get("record_type", "")
        language = request.query_params.get("language", "")
        if language and language not in CONTENT_LANGUAGES:
            raise ValidationError({"language": [gettext_lazy("Choose one of the six UN languages.")]})
        cells = coverage.coverage(record_type, language)
        return Response(CoverageSerializer(cells, many=True).data)
