from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import AuthenticationFailed, NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearinghouse.api.serializers import LanguageSerializer
from clearinghouse.i18n import url_prefix


class LanguageList(APIView):
    """The six languages of the platform, in the order the site lists them."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="languages_list", responses=LanguageSerializer(many=True))
    def get(self, request: Request) -> Response:
        languages = []
        for code, _name in settings.LANGUAGES:
            info = get_language_info(code)
            languages.append(
                {
                    "code": url_prefix(code),
                    "name": info["name_local"],
                    "name_en": info["name"],
                    "rtl": info["bidi"],
                }
            )
        return Response(languages)


class ObtainToken(ObtainAuthToken):
    """Exchange a user name and password for an API token.

    Wrong or blank credentials are a 401 (not DRF's default 400): the request was well formed.
    """

    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if set(serializer.errors) == {"non_field_errors"}:
                raise AuthenticationFailed(serializer.errors["non_field_errors"][0])
            codes = {detail.code for details in serializer.errors.values() for detail in details}
            if codes <= {"blank"}:
                # A user name or password of blanks is a wrong credential, not a malformed request.
                raise AuthenticationFailed()
            raise ValidationError(serializer.errors)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
def not_found(request: Request, path: str = "") -> Response:
    """Addresses under /api/v1/ that match nothing get the API's JSON 404, not an HTML page."""
    raise NotFound(_("There is nothing at this address. See /api/v1/docs/ for what the API offers."))
