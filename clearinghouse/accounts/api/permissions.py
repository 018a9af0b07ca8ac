"""What a token's scope allows, checked on every API view by default (REST_FRAMEWORK settings)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from clearinghouse.accounts.models import ApiToken, TokenScope


class TokenScopeAllowsMethod(BasePermission):
    """A read-only token reads; only a token with write scope changes anything. Requests made
    without a token (anonymous, or a signed-in browser session) are left to the other checks."""

    message = _(
        "This token may only read. Create a token with the read-and-write scope on the API tokens "
        "page of your account to make changes."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if isinstance(token, ApiToken) and token.scope != TokenScope.WRITE:
            return request.method in SAFE_METHODS
        return True
