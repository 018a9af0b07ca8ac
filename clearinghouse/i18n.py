"""URL language prefixes.

Django names Simplified Chinese ``zh-hans``; the platform's addresses use the short ``/zh/``
that people type and share. The other five languages keep their own code as prefix.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import URLResolver
from django.urls.resolvers import LocalePrefixPattern
from django.utils.translation import get_language

URL_PREFIXES = {"zh-hans": "zh"}


def url_prefix(language_code: str) -> str:
    return URL_PREFIXES.get(language_code, language_code)


class ShortLocalePrefixPattern(LocalePrefixPattern):
    @property
    def language_prefix(self) -> str:
        return f"{url_prefix(get_language() or settings.LANGUAGE_CODE)}/"

    def match(self, path: str) -> tuple[str, tuple[Any, ...], dict[str, Any]] | None:
        # Also accept the full code (/zh-hans/...), which Django's LocaleMiddleware uses when
        # it redirects an address that lacks a prefix.
        language = get_language() or settings.LANGUAGE_CODE
        for prefix in (self.language_prefix, f"{language}/"):
            if path.startswith(prefix):
                return path.removeprefix(prefix), (), {}
        return None


def language_patterns(*urls: Any) -> list[URLResolver]:
    """Like django's i18n_patterns, with the short prefixes above."""
    return [URLResolver(ShortLocalePrefixPattern(), list(urls))]
