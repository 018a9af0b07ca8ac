from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny

from clearinghouse.nodes.api.serializers import NationalCHMSerializer
from clearinghouse.nodes.models import NationalCHM, StatusChange, SupportRequest


def _register() -> QuerySet[NationalCHM]:
    return (
        NationalCHM.objects.select_related("party")
        .prefetch_related(
            Prefetch("history", queryset=StatusChange.objects.order_by("since")),
            Prefetch(
                "support_requests",
                queryset=SupportRequest.objects.select_related("need").order_by("asked_at"),
            ),
        )
        .order_by("party__code")
    )


class NationalCHMList(generics.ListAPIView[NationalCHM]):
    """The register of national clearing-house mechanisms: every Party's national CHM, its
    status (planned, functional, inactive) with its history, technology, public contact and the
    needs it published to ask for support. Public, read-only; ``?status=functional`` keeps one
    status."""

    serializer_class = NationalCHMSerializer
    permission_classes = [AllowAny]
    filterset_fields = ["status"]

    def get_queryset(self) -> QuerySet[NationalCHM]:
        return _register()


@extend_schema(
    parameters=[
        OpenApiParameter("party", str, OpenApiParameter.PATH, description="The Party's ISO code (KE, eg).")
    ]
)
class NationalCHMDetail(generics.RetrieveAPIView[NationalCHM]):
    """One Party's national clearing-house mechanism. Public, read-only."""

    serializer_class = NationalCHMSerializer
    permission_classes = [AllowAny]
    lookup_field = "party__code"
    lookup_url_kwarg = "party"

    def get_queryset(self) -> QuerySet[NationalCHM]:
        return _register()

    def get_object(self) -> NationalCHM:
        self.kwargs["party"] = str(self.kwargs["party"]).upper()
        return super().get_object()
