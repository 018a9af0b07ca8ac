from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearinghouse.publishing import access, documents, registry

RECORD_REFERENCE = inline_serializer(
    "RecordReference",
    {
        "identifier": serializers.CharField(help_text="Stable public identifier, e.g. CB-NEED-KE-000123."),
        "record_type": serializers.CharField(),
        "owner": serializers.CharField(help_text="ISO code of the Party, or the organisation's code."),
        "state": serializers.CharField(),
        "live": serializers.BooleanField(help_text="Whether a published version is public."),
        "revision": serializers.IntegerField(help_text="The latest revision number."),
        "published_revision": serializers.IntegerField(allow_null=True),
        "url": serializers.CharField(help_text="The record's page."),
    },
)


class RecordByIdentifier(APIView):
    """Resolve a stable identifier to the record it names."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="records_resolve", responses=RECORD_REFERENCE)
    def get(self, request: Request, identifier: str) -> Response:
        record = registry.find(identifier)
        if record is None or not access.can_see(request.user, record):
            raise NotFound(_("No record has the identifier %(identifier)s.") % {"identifier": identifier})
        return Response(
            {
                "identifier": record.identifier,
                "record_type": record.RECORD_TYPE,
                "owner": record.owner.code,
                "state": record.state,
                "live": record.live,
                "revision": record.revision_number,
                "published_revision": record.live_revision_number,
                "url": request.build_absolute_uri(documents.page_url(record)),
            }
        )
