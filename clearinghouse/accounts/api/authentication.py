"""API authentication with personal tokens (knox: only a hash of each key is stored)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from clearinghouse.accounts import mfa_policy, tokens
from clearinghouse.accounts.models import ApiToken, User


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``. Knox refuses unknown and expired keys (deleting the
    expired ones); this also refuses the tokens of accounts that may not sign in (inactive, or
    whose e-mail address is not verified) or that must turn on a second factor and have not,
    and records when each token was last used."""

    def validate_user(self, auth_token: ApiToken) -> tuple[User, ApiToken]:
        user = auth_token.user
        verified = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
        if not user.is_active or not verified:
            raise AuthenticationFailed(
                _("This token's account is inactive or its e-mail address is not verified.")
            )
        if mfa_policy.needs_second_factor(user):
            # A token made before its owner was given a role that calls for a second factor
            # (or after they removed theirs) must not act where the web would stop them.
            raise AuthenticationFailed(
                _("This token's account must turn on a second factor before acting; see your profile.")
            )
        tokens.note_use(auth_token)
        return user, auth_token


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                'A personal API token, created on the "API tokens" page of your account, with the '
                'prefix "Token": `Authorization: Token <key>`. Read-only tokens may only read.'
            ),
        }
