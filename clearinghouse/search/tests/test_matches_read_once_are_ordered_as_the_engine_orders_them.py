"""When the service reads every match with its facet values, a backend may score the rows as it
reads them, and the pages are then cut from them in Python: they must be the pages the engine
itself gives. Run on the database in use; a backend that does not score while reading is asked
for its pages as before, and the parts about scores are skipped for it."""

from __future__ import annotations

import pytest

from clearinghouse.search import hybrid, service
from clearinghouse.search.backends.base import Match
from clearinghouse.search.documents import SearchQuery
from clearinghouse.search.entries import facet_token
from clearinghouse.search.models import SearchEntry
from clearinghouse.search.tests.factories import document
from clearinghouse.search.text import parse_query

pytestmark = pytest.mark.django_db

# Scores that differ, and ties that recency breaks: titles weigh more than bodies, repeated
# words more than single ones, and some records say the same thing.
RECORDS = [
    ("R-1", "Forest restoration", "Forests and rivers of the coast.", "2026-01-05", ["KE"], ["training"]),
    ("R-2", "River basins", "Forest forest forest management.", "2026-01-06", ["KE"], ["funding"]),
    ("R-3", "Forest restoration", "Forests and rivers of the coast.", "2026-01-07", ["SN"], ["training"]),
    ("R-4", "Coastal forests", "Mangrove forest and river deltas.", "2026-01-08", ["KE"], ["training"]),
    ("R-5", "Wetlands", "A forest beside a river.", "2026-01-09", ["SN"], ["funding"]),
    ("R-6", "Forest and river", "Forest, river.", "2026-01-10", ["EG"], ["training"]),
    ("R-7", "Deserts", "Nothing about trees here.", "2026-01-11", ["KE"], ["training"]),
]


@pytest.fixture
def records() -> None:
    service.index(
        document(key, title=title, text=text, published=published, party=party, support_type=support)
        for key, title, text, published, party, support in RECORDS
    )


def engine_keys(query: SearchQuery, match: Match) -> list[str]:
    """Every match in the query's order, as the engine gives it page by page."""
    backend = service.get_backend()
    ranked = backend.ranked(match, query.sort, 100, 0)  # type: ignore[arg-type]
    names = dict(SearchEntry.objects.values_list("id", "key"))
    return [names[item.id] for item in ranked]


@pytest.mark.usefixtures("records")
@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
@pytest.mark.parametrize("filters", [{}, {"party": ["KE"]}, {"party": ["KE"], "support_type": ["training"]}])
def test_every_page_is_the_engines_page_in_every_order(sort: str, filters: dict[str, list[str]]) -> None:
    tokens = tuple(tuple(facet_token(facet, value) for value in values) for facet, values in filters.items())
    match = Match(clauses=parse_query("forest river").clauses, filters=(tokens,) if tokens else ())
    expected = engine_keys(SearchQuery(sort=sort), match)
    assert len(expected) >= 2
    pages = [
        [
            hit.key
            for hit in service.search(
                SearchQuery(text="forest river", filters=filters, sort=sort, page=page, page_size=2)
            ).hits
        ]
        for page in range(1, 5)
    ]
    assert [key for page in pages for key in page] == expected


@pytest.mark.usefixtures("records")
def test_the_scores_read_with_the_rows_are_the_engines_whatever_the_filters() -> None:
    backend = service.get_backend()
    words = parse_query("forest river").clauses
    # The rows the service counts facets on carry other filters than the matches it ranks
    # (here: in Kenya or for training).
    either = (((facet_token("party", "KE"),),), ((facet_token("support_type", "training"),),))
    scored = backend.scored_rows(Match(clauses=words, filters=either), None)
    plain = backend.scored_rows(Match(clauses=words), None)
    if scored is None or plain is None:
        pytest.skip("this backend ranks with a query of its own")
    ranked = {item.id: item.score for item in backend.ranked(Match(clauses=words), "relevance", 100, 0)}
    assert {entry: score for entry, _values, score in plain} == ranked
    assert scored and all(ranked[entry] == score for entry, _values, score in scored)
    assert len(set(ranked.values())) > 2  # the records do not all score the same


@pytest.mark.usefixtures("records")
def test_the_terms_a_backend_keeps_are_those_made_from_the_stored_text() -> None:
    backend = service.get_backend()
    entries = list(SearchEntry.objects.values("id", "titles", "texts", "language"))
    kept = backend.indexed_terms([entry["id"] for entry in entries])
    if kept is None:
        pytest.skip("this backend does not keep the terms readable")
    assert kept == {entry["id"]: hybrid._columns(entry) for entry in entries}
