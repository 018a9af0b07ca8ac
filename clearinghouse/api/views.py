from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import APIException, NotFound
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


class Gone(APIException):
    status_code = 410
    default_code = "gone"


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@authentication_classes([])
def password_exchange_gone(request: Request) -> Response:
    """The former password-for-token exchange: a password alone no longer yields a token (it
    bypassed two-factor sign-in and e-mail verification). Say where tokens come from now."""
    page = request.build_absolute_uri(reverse("accounts:tokens"))
    raise Gone(
        _(
            "API tokens are no longer given in exchange for a password. Sign in on the website and "
            "create one on your API tokens page: %(url)s"
        )
        % {"url": page}
    )


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
def not_found(request: Request, path: str = "") -> Response:
    """Addresses under /api/v1/ that match nothing get the API's JSON 404, not an HTML page."""
    raise NotFound(_("There is nothing at this address. See /api/v1/docs/ for what the API offers."))
