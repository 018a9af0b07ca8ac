from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearinghouse.matching.engine import MatchingError
from clearinghouse.needs.models import Need
from clearinghouse.peers import finder
from clearinghouse.peers.api.serializers import PeerPartySerializer
from clearinghouse.publishing import registry


class NeedPeersView(APIView):
    """The Parties with needs similar to a published need of a Party, best first, and whether
    each addressed one: public, as the published needs it is computed from are."""

    permission_classes = [AllowAny]

    @extend_schema(
        responses={
            200: PeerPartySerializer(many=True),
            409: OpenApiResponse(description="The matcher could not compare the need (the reason is given)."),
        },
        operation_id="needs_peers_list",
    )
    def get(self, request: Request, identifier: str) -> Response:
        need = registry.find(identifier)
        if not isinstance(need, Need) or not need.live or need.owner_country_id is None:
            raise Http404
        try:
            peers = finder.peers_of(need)
        except (finder.PeerError, MatchingError) as error:
            return Response({"detail": str(error)}, status=409)
        return Response(PeerPartySerializer(instance=peers, many=True).data)  # type: ignore[arg-type]
