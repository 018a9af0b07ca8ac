"""Request rates for the API (settings.API_THROTTLE_RATES): anonymous clients per address,
signed-in people per person, so making more tokens does not buy more requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

if TYPE_CHECKING:  # rest_framework.views imports this module through its settings
    from rest_framework.request import Request
    from rest_framework.views import APIView


class _RateFromSettings:
    scope: str

    def get_rate(self) -> str | None:
        # Read on each request rather than frozen at import, so a changed setting applies.
        rate: str | None = settings.API_THROTTLE_RATES.get(self.scope)
        return rate


class AnonymousThrottle(_RateFromSettings, AnonRateThrottle):
    scope = "anonymous"


class SignedInThrottle(_RateFromSettings, UserRateThrottle):
    scope = "signed_in"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        # DRF's UserRateThrottle counts anonymous clients too (by address, at this rate): they are
        # AnonymousThrottle's alone, or an anonymous rate above this one would never apply.
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
