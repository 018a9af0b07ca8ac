"""The sitemap (django.contrib.sitemaps): a section per record type, its public records with the
date of their last publication, and one for the main public pages; every address in the six
languages, with hreflang alternates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from clearinghouse.publishing import registry

# Addresses per sitemap file; each record counts once per language.
LIMIT = 6000
# The main public pages, by URL name.
PAGES = (
    "core:home",
    "core:about",
    "core:contact",
    "search:index",
    "needs:index",
    "support:index",
    "events:list",
    "learning:catalogue",
    "knowledge:list",
    "helpdesk:faq",
    "community:communities",
)


class Localised(Sitemap[Any]):
    i18n = True
    alternates = True
    x_default = True
    limit = LIMIT


class RecordSitemap(Localised):
    def __init__(self, record_type: registry.RecordType) -> None:
        self.record_type = record_type

    def items(self) -> Any:
        return self.record_type.live().order_by("pk")

    def location(self, item: Any) -> str:
        return self.record_type.url(item)

    def lastmod(self, item: Any) -> datetime | None:
        last: datetime | None = item.last_published_at
        return last


class PageSitemap(Localised):
    changefreq = "daily"

    def items(self) -> list[str]:
        return list(PAGES)

    def location(self, item: str) -> str:
        return reverse(item)


def sections() -> dict[str, type[Sitemap[Any]] | Sitemap[Any]]:
    """The sitemap's sections: the main pages, then one per record type (``need``, ``event``...)."""
    found: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {"pages": PageSitemap()}
    for record_type in registry.record_types():
        found[record_type.name] = RecordSitemap(record_type)
    return found
