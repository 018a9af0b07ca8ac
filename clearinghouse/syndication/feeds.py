"""An Atom feed of any search: the results the search page gives for the same words, filters and
dates, newest first, at most ``FEED_SIZE``; offered on the search page as "Subscribe (Atom)". The
same results as schema.org JSON-LD (a ``SearchResultsPage`` holding an ``ItemList``), for sites
and tools that read linked data."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from clearinghouse.core.languages import content_language
from clearinghouse.core.mail import site_name
from clearinghouse.search import saved, service
from clearinghouse.search.documents import SearchHit, SearchQuery
from clearinghouse.search.forms import SearchForm, query_from_request
from clearinghouse.search.links import for_reader

FEED_SIZE = 50


@dataclass(frozen=True)
class Subscribed:
    """The search a feed request asks for (one feed instance serves every request)."""

    query: SearchQuery
    name: str
    parameters: str


def subscribed(request: HttpRequest) -> Subscribed:
    language = content_language()
    asked = query_from_request(request.GET, SearchForm(request.GET or None), language, page_size=FEED_SIZE)
    query = replace(asked, sort="newest", page=1, page_size=FEED_SIZE, facets=())
    parameters = saved.normalise(request.GET)
    return Subscribed(query, saved.default_name(parameters, language), parameters)


class SearchFeed(Feed[SearchHit, Subscribed]):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Subscribed:
        return subscribed(request)

    def title(self, search: Subscribed) -> str:
        return _("Search: %(search)s — %(site)s") % {"search": search.name, "site": site_name()}

    def link(self, search: Subscribed) -> str:
        return reverse("search:index") + (f"?{search.parameters}" if search.parameters else "")

    def subtitle(self, search: Subscribed) -> str:
        return _("The newest records that match this search.")

    def items(self, search: Subscribed) -> list[SearchHit]:
        return service.search(search.query).hits

    def item_title(self, item: SearchHit) -> str:
        return item.title or item.key

    def item_description(self, item: SearchHit) -> str:
        # Escaped text with <mark> around the words found (search.snippets).
        return item.snippet

    def item_link(self, item: SearchHit) -> str:
        return for_reader(item.url) if item.url else reverse("resolve", args=[item.key])

    def item_guid(self, item: SearchHit) -> str:
        return f"urn:clearinghouse:{item.key}"

    def item_guid_is_permalink(self, item: SearchHit) -> bool:
        return False

    def item_updateddate(self, item: SearchHit) -> datetime:
        return item.published_at


def search_linked_data(request: HttpRequest) -> dict[str, Any]:
    """The search's newest results as schema.org: each item its record's name, address and
    identifier, in the order of the feed."""
    search = subscribed(request)
    hits = service.search(search.query).hits
    page = request.build_absolute_uri(SearchFeed().link(search))
    return {
        "@context": "https://schema.org",
        "@type": "SearchResultsPage",
        "name": _("Search: %(search)s — %(site)s") % {"search": search.name, "site": site_name()},
        "url": page,
        "inLanguage": search.query.language,
        "mainEntity": {
            "@type": "ItemList",
            "itemListOrder": "https://schema.org/ItemListOrderDescending",
            "numberOfItems": len(hits),
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "url": request.build_absolute_uri(
                        for_reader(hit.url) if hit.url else reverse("resolve", args=[hit.key])
                    ),
                    "name": hit.title or hit.key,
                    "identifier": hit.key,
                }
                for position, hit in enumerate(hits, start=1)
            ],
        },
    }
