"""Words and meaning fused: records nearest in meaning join the lexical matches, filtered,
counted and paged like them. A stand-in retriever answers with fixed keys and similarities."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from django.test import Client

from clearinghouse.search import hybrid, semantic, service
from clearinghouse.search.backends.base import Match
from clearinghouse.search.documents import SearchQuery
from clearinghouse.search.models import SearchEntry
from clearinghouse.search.semantic import SemanticHit
from clearinghouse.search.tests.factories import document, entry_key
from clearinghouse.search.text import index_terms

pytestmark = pytest.mark.django_db


class StandIn:
    """Answers every query with the same keys, nearest first."""

    def __init__(self, keys: Sequence[str], scores: Sequence[float] | None = None) -> None:
        self.hits = [
            SemanticHit(key, score)
            for key, score in zip(
                keys, scores or [0.9 - index / 100 for index in range(len(keys))], strict=True
            )
        ]
        self.asked: list[tuple[str, str, int]] = []

    def nearest(self, text: str, language: str, limit: int) -> list[SemanticHit]:
        self.asked.append((text, language, limit))
        return self.hits[:limit]


@pytest.fixture
def retriever(monkeypatch: pytest.MonkeyPatch) -> StandIn:
    stand_in = StandIn([])
    monkeypatch.setattr(semantic, "get_retriever", lambda: stand_in)
    return stand_in


def answer(stand_in: StandIn, keys: Sequence[str], scores: Sequence[float] | None = None) -> None:
    stand_in.hits = StandIn(keys, scores).hits


@pytest.fixture
def reefs() -> None:
    service.index(
        [
            document("LEX-1", title="Coral reef monitoring", text="Coral survey methods.", party=["FJ"]),
            document(
                "LEX-2", title="Coral nurseries", text="Growing coral.", published="2026-01-10", party=["FJ"]
            ),
            document(
                "SEM-1",
                title="Suivi des récifs",
                text="Former les gardes à observer les récifs frangeants.",
                language="fr",
                published="2026-01-20",
                party=["KE"],
                record_type="offer",
            ),
            document(
                "SEM-2",
                title="Seagrass mapping",
                text="Mapping meadows.",
                published="2025-06-01",
                party=["FJ"],
            ),
            document("OTHER", title="Budget lines", text="Accounting.", party=["KE"]),
        ]
    )


def keys(query: SearchQuery) -> list[str]:
    return [hit.key for hit in service.search(query).hits]


def test_a_record_in_both_lists_comes_first_then_each_lists_best(retriever: StandIn, reefs: None) -> None:
    answer(retriever, ["SEM-1", "LEX-1"])
    # LEX-2 is the best lexical match (the shorter record), LEX-1 the second, but LEX-1 is also
    # a semantic hit: 1/5 + 0.5/5 beats 1/4 alone; a tie goes to the lexical list.
    assert keys(SearchQuery(text="coral")) == ["LEX-1", "LEX-2", "SEM-1"]


def test_without_a_retriever_the_answer_is_the_lexical_one(
    monkeypatch: pytest.MonkeyPatch, reefs: None
) -> None:
    monkeypatch.setattr(semantic, "get_retriever", lambda: None)
    result = service.search(SearchQuery(text="coral"))
    assert [hit.key for hit in result.hits] == ["LEX-2", "LEX-1"]
    assert result.total == 2
    assert not any(hit.by_meaning for hit in result.hits)
    from clearinghouse.search.text import parse_query

    parsed = parse_query("coral")
    assert (
        hybrid.find(
            SearchQuery(text="coral"), parsed, Match(clauses=parsed.clauses), {}, [], service.get_backend()
        )
        is None
    )


def test_a_failing_retriever_leaves_the_words_to_answer(monkeypatch: pytest.MonkeyPatch, reefs: None) -> None:
    class Broken:
        def nearest(self, text: str, language: str, limit: int) -> list[SemanticHit]:
            raise RuntimeError("the vectors are not there")

    monkeypatch.setattr(semantic, "get_retriever", lambda: Broken())
    assert keys(SearchQuery(text="coral")) == ["LEX-2", "LEX-1"]


def test_a_semantic_only_hit_counts_in_the_total_and_the_facets(retriever: StandIn, reefs: None) -> None:
    answer(retriever, ["SEM-1", "NOT-INDEXED", "LEX-1"])
    result = service.search(SearchQuery(text="coral"))
    assert result.total == 3, "two lexical matches and one semantic-only; an unknown key is dropped"
    assert result.facets["party"] == {"FJ": 2, "KE": 1}
    assert result.facets["record_type"] == {"need": 2, "offer": 1}


def test_a_facet_filter_keeps_or_drops_a_semantic_only_hit(retriever: StandIn, reefs: None) -> None:
    answer(retriever, ["SEM-1", "SEM-2"])
    kenya = service.search(SearchQuery(text="coral", filters={"party": ["KE"]}))
    assert [hit.key for hit in kenya.hits] == ["SEM-1"]
    assert kenya.total == 1
    # The filtered facet is counted without its own filter: Fiji's records still show.
    assert kenya.facets["party"] == {"FJ": 3, "KE": 1}
    fiji = service.search(SearchQuery(text="coral", filters={"party": ["FJ"]}))
    assert sorted(hit.key for hit in fiji.hits) == ["LEX-1", "LEX-2", "SEM-2"]
    offers = service.search(SearchQuery(text="coral", filters={"record_type": ["offer"]}))
    assert [hit.key for hit in offers.hits] == ["SEM-1"]


def test_a_date_range_applies_to_semantic_hits(retriever: StandIn, reefs: None) -> None:
    from datetime import date

    answer(retriever, ["SEM-1", "SEM-2"])
    result = service.search(SearchQuery(text="coral", published_to=date(2025, 12, 31)))
    assert [hit.key for hit in result.hits] == ["SEM-2"]


def test_a_similarity_floor_keeps_weak_semantic_only_hits_out(
    retriever: StandIn, reefs: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hybrid, "FUSION", hybrid.Fusion(floor=0.5))
    answer(retriever, ["SEM-1", "SEM-2", "LEX-2"], [0.8, 0.2, 0.1])
    result = service.search(SearchQuery(text="coral"))
    assert sorted(hit.key for hit in result.hits) == ["LEX-1", "LEX-2", "SEM-1"]
    assert result.total == 3


def test_a_record_found_by_meaning_says_so_and_shows_its_opening(retriever: StandIn, reefs: None) -> None:
    answer(retriever, ["SEM-1"])
    hits = {hit.key: hit for hit in service.search(SearchQuery(text="coral")).hits}
    assert hits["SEM-1"].by_meaning
    assert hits["SEM-1"].snippet == "Former les gardes à observer les récifs frangeants."
    assert not hits["LEX-1"].by_meaning and "<mark>" in hits["LEX-1"].snippet


def test_the_api_says_which_hits_were_found_by_meaning(
    retriever: StandIn, reefs: None, client: Client
) -> None:
    answer(retriever, ["SEM-1"])
    response = client.get("/api/v1/search/", {"q": "coral"})
    assert response.status_code == 200
    found = {hit["key"]: hit["by_meaning"] for hit in response.json()["hits"]}
    assert found["SEM-1"] is True and found["LEX-1"] is False


def test_a_semantic_only_hit_holding_one_of_the_words_is_not_by_meaning(
    retriever: StandIn, reefs: None
) -> None:
    answer(retriever, ["SEM-2"])
    hits = {hit.key: hit for hit in service.search(SearchQuery(text="coral mapping")).hits}
    assert not hits["SEM-2"].by_meaning, "'mapping' is in it, though not 'coral'"


def test_newest_first_orders_the_union_by_publication(retriever: StandIn, reefs: None) -> None:
    answer(retriever, ["SEM-1", "SEM-2"])
    assert keys(SearchQuery(text="coral", sort="newest")) == ["SEM-1", "LEX-1", "LEX-2", "SEM-2"]
    assert keys(SearchQuery(text="coral", sort="oldest")) == ["SEM-2", "LEX-2", "LEX-1", "SEM-1"]
    pages = [keys(SearchQuery(text="coral", sort="newest", page=page, page_size=1)) for page in range(1, 6)]
    assert pages == [["SEM-1"], ["LEX-1"], ["LEX-2"], ["SEM-2"], []]
    pages = [keys(SearchQuery(text="coral", sort="oldest", page=page, page_size=3)) for page in (1, 2)]
    assert pages == [["SEM-2", "LEX-2", "LEX-1"], ["SEM-1"]]


def test_pages_past_the_fused_window_repeat_nothing_and_miss_nothing(
    retriever: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    service.index(
        [
            document(
                f"W-{number:02d}", title="wetland " * (12 - number), published=f"2026-01-{number + 1:02d}"
            )
            for number in range(12)
        ]
        + [document(f"M-{number}", title=f"Marsh {number}", published="2025-01-01") for number in range(3)]
    )
    # The lists weigh alike here, so that the nearest record comes second: paging is tested.
    monkeypatch.setattr(hybrid, "FUSION", hybrid.Fusion(window=4, semantic_weight=1.0))
    # Two semantic-only hits, and a lexical match far past the window.
    answer(retriever, ["M-0", "W-10", "M-1"])
    seen = []
    for page in range(1, 8):
        seen += keys(SearchQuery(text="wetland", page=page, page_size=2))
    assert len(seen) == len(set(seen)) == 14
    assert set(seen) == {f"W-{number:02d}" for number in range(12)} | {"M-0", "M-1"}
    assert seen[:2] == ["W-00", "M-0"], "fused: the best lexical match, then the nearest"
    assert "W-10" in seen[:6], "a lexical match the retriever also found is lifted into the window"
    assert service.search(SearchQuery(text="wetland")).total == 14


def test_records_holding_some_of_the_words_join_below_those_holding_all(
    retriever: StandIn, reefs: None
) -> None:
    result = service.search(SearchQuery(text="coral seagrass"))
    keys_found = [hit.key for hit in result.hits]
    # No record holds both words: the ones holding one of them are the answer, none by meaning.
    assert sorted(keys_found) == ["LEX-1", "LEX-2", "SEM-2"]
    assert result.total == 3
    assert not any(hit.by_meaning for hit in result.hits)
    both = service.search(SearchQuery(text="coral survey"))
    assert both.hits[0].key == "LEX-1", "the record holding both words comes first"
    assert sorted(hit.key for hit in both.hits) == ["LEX-1", "LEX-2"]


def test_on_a_sampled_result_set_semantic_hits_are_told_apart_by_their_words(
    retriever: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tiny limits make four matches a "very large" result set, counted on a sample.
    monkeypatch.setattr(service, "EXACT_LIMIT", 2)
    monkeypatch.setattr(service, "SAMPLE_TARGET", 1)
    service.index(
        [document(f"REEF-{number}", title=f"Coral reef {number}", text="Coral.") for number in range(4)]
        + [document("KELP", title="Kelp forests", text="Giant kelp along the coast.", record_type="offer")]
    )
    answer(retriever, ["KELP", "REEF-2"])
    result = service.search(SearchQuery(text="coral"))
    assert result.approximate
    keys_found = [hit.key for hit in result.hits]
    assert sorted(keys_found) == ["KELP", "REEF-0", "REEF-1", "REEF-2", "REEF-3"], "each once"
    assert [hit.key for hit in result.hits if hit.by_meaning] == ["KELP"]
    # The semantic-only hit is added to the estimate as it is: one offer.
    assert result.facets["record_type"].get("offer") == 1


def test_the_candidates_holding_the_most_of_the_words_come_first() -> None:
    service.index(
        [
            document("ONE", title="Coral atlas", text="Maps of the coast."),
            document("ALL-THREE", title="Coral, reef and seagrass atlas", text="Maps of the coast."),
            document("NONE", title="Mangrove atlas", text="Maps of the coast."),
            document("TWO", title="Coral reef atlas", text="Maps of the coast."),
        ]
    )
    words = Match(clauses=(tuple((term,) for term in index_terms("coral reef seagrass", "en")),))
    backend = service.get_backend()
    # Every holder of any word is a candidate, those holding more of the words first.
    assert [entry_key(entry) for entry in backend.best_holders(words, 10)] == ["ALL-THREE", "TWO", "ONE"]
    assert [entry_key(entry) for entry in backend.best_holders(words, 1)] == ["ALL-THREE"]


def test_no_record_holding_only_some_of_the_words_joins_when_too_many_hold_them(
    monkeypatch: pytest.MonkeyPatch, retriever: StandIn, reefs: None
) -> None:
    # No record holds both words: what answers is the records holding one of them.
    assert service.search(SearchQuery(text="coral seagrass")).total == 3
    # The backend counts the holders on a sample before ranking them; above its limit (here
    # below any count) ranking them would cost more than they bring.
    monkeypatch.setattr(type(service.get_backend()), "holders_limit", -1)
    result = service.search(SearchQuery(text="coral seagrass"))
    assert result.total == 0 and result.hits == []


def test_the_engine_tells_which_candidates_match_the_words() -> None:
    service.index(
        [
            document("PHRASE", title="Coral reef atlas", text="Maps."),
            document("APART", title="Reef maps", text="Coral nurseries."),
            document("ONE", title="Coral nurseries", text="Growing coral."),
        ]
    )
    ids = dict(SearchEntry.objects.values_list("key", "id"))
    backend = service.get_backend()
    phrase = Match(clauses=((tuple(index_terms("coral reef", "en")),),))
    both = Match(clauses=tuple(((term,),) for term in index_terms("coral reef", "en")))
    found = backend.matched_among(phrase, list(ids.values()))
    if found is None:
        assert backend.indexed_terms(list(ids.values())) is not None, "one way or the other"
        return
    assert found == {ids["PHRASE"]}, "a phrase's words in order"
    assert backend.matched_among(both, list(ids.values())) == {ids["PHRASE"], ids["APART"]}
    assert backend.matched_among(both, [ids["ONE"], ids["APART"]]) == {ids["APART"]}, "among these only"
