from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny

from clearinghouse.geo.models import Country
from clearinghouse.national.api.serializers import NationalReportSerializer, NationalTargetSerializer
from clearinghouse.national.models import NationalReport, NationalTarget


def _party(view: Any) -> Country:
    return get_object_or_404(Country, code=str(view.kwargs["party"]).upper())


_PARTY = OpenApiParameter("party", str, OpenApiParameter.PATH, description="The Party's ISO code (KE, eg).")


@extend_schema(parameters=[_PARTY])
class NationalTargetList(generics.ListAPIView[NationalTarget]):
    """A Party's national targets (its ISO code in the path), retired ones included and marked.
    Public, read-only."""

    serializer_class = NationalTargetSerializer
    permission_classes = [AllowAny]

    def get_queryset(self) -> QuerySet[NationalTarget]:
        if getattr(self, "swagger_fake_view", False):  # the schema is generated without a Party
            return NationalTarget.objects.none()
        return (
            NationalTarget.objects.filter(party=_party(self))
            .select_related("party")
            .prefetch_related("gbf_targets")
            .order_by("code")
        )


@extend_schema(parameters=[_PARTY])
class NationalReportList(generics.ListAPIView[NationalReport]):
    """A Party's national reports, newest first. Public, read-only."""

    serializer_class = NationalReportSerializer
    permission_classes = [AllowAny]

    def get_queryset(self) -> QuerySet[NationalReport]:
        if getattr(self, "swagger_fake_view", False):
            return NationalReport.objects.none()
        return (
            NationalReport.objects.filter(party=_party(self))
            .select_related("party")
            .order_by("-year", "kind")
        )
