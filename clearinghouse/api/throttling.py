"""Request rates for the API (settings.API_THROTTLE_RATES): anonymous clients per address,
signed-in people per person, so making more tokens does not buy more requests."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


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
