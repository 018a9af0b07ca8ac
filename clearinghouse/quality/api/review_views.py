"""The quality mark of a published item, read-only and public (as on the record's page)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearinghouse.quality import items
from clearinghouse.quality import review_services as reviews
from clearinghouse.quality.api.review_serializers import ItemQualitySerializer


class ItemQualityMark(APIView):
    """Whether a published course, material, event or offer meets a quality standard: its
    latest round of peer review judged to meet one, or null."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="quality_mark", responses=ItemQualitySerializer)
    def get(self, request: Request, identifier: str) -> Response:
        item = items.item_or_none(identifier)
        if item is None or item.record_type not in items.ASSESSED_TYPES or not item.record.live:
            raise NotFound
        mark = reviews.quality_mark(item.identifier)
        data = {
            "identifier": item.identifier,
            "mark": None
            if mark is None
            else {
                "standard": mark.standard.code,
                "version": mark.standard.version,
                "title": mark.standard.title,
                "round": mark.round,
                "record_version": mark.record_version,
                "judged_at": mark.judged_at,
                "text": reviews.mark_text(mark),
            },
        }
        return Response(ItemQualitySerializer(data).data)
