from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from clearinghouse.core.languages import content_language
from clearinghouse.search import service
from clearinghouse.search.documents import DEFAULT_FACETS, FILTER_PARAMETERS, SearchHit
from clearinghouse.search.forms import SearchForm, query_from_request
from clearinghouse.search.labels import RECORD_TYPES, facet_title, labels

# Facet values listed per facet (selected ones always are): the page works without JavaScript,
# so there is no "show more".
FACET_VALUES_SHOWN = 12


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    checked: bool


@dataclass(frozen=True)
class FacetGroup:
    name: str  # the GET parameter
    title: str
    options: list[FacetOption]
    approximate: bool


@dataclass(frozen=True)
class HitView:
    hit: SearchHit
    type_label: str
    snippet: SafeString


def _facet_groups(
    facets: dict[str, dict[str, int]],
    selected: dict[str, list[str]],
    language: str,
    approximate: tuple[str, ...],
) -> list[FacetGroup]:
    groups = []
    for facet in DEFAULT_FACETS:
        counts = facets.get(facet, {})
        chosen = selected.get(facet, [])
        shown = list(counts)[:FACET_VALUES_SHOWN]
        values = shown + [value for value in chosen if value not in shown]
        if not values:
            continue
        names = labels(facet, values, language)
        options = [
            FacetOption(value, names[value], counts.get(value, 0), value in chosen) for value in values
        ]
        name = FILTER_PARAMETERS.get(facet, facet)
        groups.append(FacetGroup(name, facet_title(facet), options, facet in approximate))
    return groups


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    language = content_language()
    form = SearchForm(request.GET or None)
    query = query_from_request(request.GET, form, language)
    result = service.search(query)
    shown = min(result.total, service.MAX_RESULT_WINDOW)
    page = Paginator(range(shown), query.page_size).get_page(result.page)
    hits = [
        HitView(
            hit=hit,
            type_label=str(RECORD_TYPES.get(hit.record_type, hit.record_type)),
            # Built by snippets.snippet from escaped text and <mark> tags only.
            snippet=mark_safe(hit.snippet),  # noqa: S308
        )
        for hit in result.hits
    ]
    context = {
        "form": form,
        "result": result,
        "hits": hits,
        "page": page,
        "facet_groups": _facet_groups(
            result.facets, {k: list(v) for k, v in query.filters.items()}, language, result.approximate_facets
        ),
        "searched": bool(request.GET),
    }
    return render(request, "search/index.html", context)
