"""Sign-in with an existing identity: OpenID Connect providers (allauth's ``openid_connect``).

The providers are configured in settings (``IDENTITY_PROVIDERS``, from ``OIDC_*`` variables;
docs/sign-in.md). Two things differ from allauth's own handling:

- The callback address has no language prefix (``/accounts/oidc/<id>/login/callback/``), so a
  provider registers one redirect URI, not six; the language the sign-in started in is carried
  over in the session and the callback answers in it.
- The ID token's signature is always checked against the provider's published keys, also when
  the token comes straight from the token endpoint (allauth then skips it, as the standard allows
  over TLS): a token altered on its way, or by a proxy, is refused.
"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect import views as allauth_views
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation

# Where the sign-in's language waits in the session for the provider to send the person back.
LANGUAGE_SESSION_KEY = "identity_provider_language"


class IdentityAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict[str, Any]) -> Any:
        """A new account prefers the language the sign-in was made in, as one made by signing up
        (AccountAdapter.save_user) does."""
        user = super().populate_user(request, sociallogin, data)
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        return user


class SignedIdTokenAdapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict[str, Any]:
        """The token's signature, issuer, audience and expiry, always checked."""
        claims: dict[str, Any] = jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )
        return claims


def login(request: HttpRequest, provider_id: str) -> HttpResponse:
    """allauth's start of the sign-in (or of connecting an identity), remembering its language."""
    request.session[LANGUAGE_SESSION_KEY] = translation.get_language()
    response: HttpResponse = allauth_views.login(request, provider_id)
    return response


def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    """Where the provider sends the person back: finishes the sign-in in the language it began in."""
    language = request.session.get(LANGUAGE_SESSION_KEY)
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        request.LANGUAGE_CODE = language
        try:
            view = OAuth2CallbackView.adapter_view(SignedIdTokenAdapter(request, provider_id))
            response: HttpResponse = view(request)
        except SocialApp.DoesNotExist as unknown:
            raise Http404 from unknown
    response.headers.setdefault("Content-Language", language)
    return response
