"""Lists must not ask a query per item: the queries of a short page and of a long one, compared
by shape. Used by the demo's test, the one place with enough records in every list."""

from __future__ import annotations

import inspect
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any
from unittest import mock

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Model
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from clearinghouse.events.models import Event
from clearinghouse.helpdesk.models import Desk
from clearinghouse.i18n import ShortLocalePrefixPattern
from clearinghouse.learning.models import Course
from clearinghouse.quality.models import Rating
from clearinghouse.search import views as search_views
from clearinghouse.support.models import RECORD_MODELS


def shapes(queries: list[dict[str, Any]]) -> Counter[str]:
    """The queries by shape: values and lists of ids left out, so the same query for another
    item counts as the same shape."""
    return Counter(re.sub(r"\bIN \([^)]*\)|'[^']*'|\b\d+\b", "?", query["sql"]) for query in queries)


def asked_again(few: Counter[str], many: Counter[str]) -> list[str]:
    """The shapes a longer page asked more often than a shorter one: a query per item. A new
    shape asked once is a prefetch the shorter page skipped, having nothing for it to fetch."""
    return [shape[:160] for shape, times in many.items() if times > max(few[shape], 1)]


def paginated_pages() -> dict[str, URLPattern]:
    """Every page of the site whose view pages a list with Django's Paginator, by name. Found
    in the views' code, so that a new list page is checked without naming it here."""
    found: dict[str, URLPattern] = {}

    def walk(patterns: list[Any], namespace: str, in_site: bool) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(part for part in (namespace, pattern.namespace) if part)
                site = in_site or isinstance(pattern.pattern, ShortLocalePrefixPattern)
                walk(pattern.url_patterns, inner, site)
            elif isinstance(pattern, URLPattern) and in_site and pattern.name:
                try:
                    source = inspect.getsource(inspect.unwrap(pattern.callback))
                except (OSError, TypeError):
                    continue
                if "Paginator(" in source:
                    found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = pattern

    walk(get_resolver().url_patterns, "", False)
    return found


@contextmanager
def pages_of(size: int) -> Iterator[list[Page]]:
    """Every paginated list shows `size` items a page; yields the pages the requests built."""
    built: list[Page] = []
    paginator_init = Paginator.__init__
    paginator_page = Paginator.page
    search_query = partial(search_views.query_from_request, page_size=size)

    def init(self: Paginator, object_list: Any, per_page: int, *args: Any, **kwargs: Any) -> None:
        paginator_init(self, object_list, size, *args, **kwargs)

    def page(self: Paginator, number: Any) -> Page:
        shown = paginator_page(self, number)
        built.append(shown)
        return shown

    with (
        mock.patch.object(Paginator, "__init__", init),
        mock.patch.object(Paginator, "page", page),
        # The search page's hits come from the index, a page at a time, not from a Paginator.
        mock.patch.object(search_views, "query_from_request", search_query),
    ):
        yield built


def fetch(client: Client, address: str, size: int) -> tuple[HttpResponse, Counter[str], int | None]:
    """The page's response, its queries by shape, and how many items its list showed (None for
    a page that is not a paginated list)."""
    with pages_of(size) as built, CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    if not built:
        return response, shapes(queries.captured_queries), None
    return response, shapes(queries.captured_queries), max(len(page.object_list) for page in built)


# A page of one item against one of up to forty: a query asked once per item is asked once
# for the first and more often for the second. A list compared shows at least ENOUGH items.
SHORT, LONG, ENOUGH = 1, 40, 4


def _most(model: type[Model], related: str) -> list[dict[str, str]]:
    """The record with the most of `related`, as its page's arguments."""
    found = model._default_manager.annotate(items=Count(related)).order_by("-items", "pk").first()
    return [{"identifier": found.identifier}] if found is not None else []  # type: ignore[attr-defined]


# The arguments of the list pages that take one, from the demo's records.
ARGUMENTS: dict[str, Callable[[], list[dict[str, str]]]] = {
    "support:list": lambda: [{"slug": model.SLUG} for model in RECORD_MODELS],
    "helpdesk:queue": lambda: [{"code": code} for code in Desk.objects.values_list("code", flat=True)],
    "events:registration_list": lambda: _most(Event, "registrations"),
    "events:registration_participants": lambda: _most(Event, "registrations"),
    "learning:learners": lambda: _most(Course, "enrolments"),
    "learning:invitations": lambda: _most(Course, "invitations"),
    "quality:ratings": lambda: [
        {"identifier": identifier}
        for identifier in Rating.objects.exclude(identifier="")
        .values("identifier")
        .annotate(items=Count("pk"))
        .order_by("-items", "identifier")
        .values_list("identifier", flat=True)[:1]
    ],
}


# Lists the demo keeps too short to compare, and why.
SHORT_IN_DEMO = {
    "matchmaking:mine": "the demo's people follow two matches at most",
    "matchmaking:seeking": "the demo circulates one need without a good match",
    "events:registration_mine": "the readers registered for no event",
    "learning:invitations": "the demo invites one person to a course",
    "helpdesk:mine": "the readers asked the help desk nothing",
    "helpdesk:mail": "no mail reached the central desk",
}


def addresses(name: str, pattern: URLPattern) -> list[str]:
    if not (pattern.pattern.regex.groups or pattern.pattern.converters):
        return [reverse(name)]
    assert name in ARGUMENTS, f"{name} pages a list and takes arguments: give it some in ARGUMENTS"
    return [reverse(name, kwargs=kwargs) for kwargs in ARGUMENTS[name]()]


def every_list_page_asks_no_query_per_item(readers: dict[str, Client]) -> None:
    """For each reader, every paginated list page of the site asks no query more often for a
    page of LONG items than for a page of SHORT."""
    compared: dict[str, set[str]] = {}
    growing: list[str] = []
    for name, pattern in paginated_pages().items():
        compared[name] = set()
        for address in addresses(name, pattern):
            for reader, client in readers.items():
                response, few, shown = fetch(client, address, SHORT)
                if response.status_code in (302, 403, 404):
                    continue  # Not this reader's page: a sign-in, a refusal, or hidden.
                assert response.status_code == 200, (reader, address, response.status_code)
                assert shown is not None, f"{address} built no page of its list"
                response, many, items = fetch(client, address, LONG)
                assert response.status_code == 200, (reader, address, response.status_code)
                if items is None or items < ENOUGH:
                    continue
                compared[name].add(reader)
                again = asked_again(few, many)
                if again:
                    growing.append(f"{reader} {address} ({shown} then {items} items): {again}")
    assert not growing, "\n".join(growing)
    # The check had something to compare: every list but the few the demo keeps short.
    uncompared = {name for name, seen in compared.items() if not seen}
    assert uncompared == set(SHORT_IN_DEMO), uncompared ^ set(SHORT_IN_DEMO)
    assert len(compared) >= 20, sorted(compared)
