"""Links held by the index: reversed in the default language when a document is made, shown in
the reader's.

Pages of records are reached through ``/r/<identifier>``, which has no language; other pages
(an organisation's, an activity's) carry one in their address. The index keeps the address in
``settings.LANGUAGE_CODE`` and each reader gets it in their own language.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation


def stored_url(view_name: str, *args: Any) -> str:
    """The address the index keeps for a page: in the default language, whatever is active."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(view_name, args=args)


def for_reader(url: str, language: str | None = None) -> str:
    """A stored address in ``language`` (Django's code; the active one by default). An address
    that names no page of the site is given back as it is."""
    wanted = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(url, wanted)
