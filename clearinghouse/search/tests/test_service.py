"""The search service on the database in use: run once on SQLite and once on PostgreSQL
(DATABASE_URL), the same tests for both backends."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.db import connection

from clearinghouse.search import service
from clearinghouse.search.backends.postgres import PostgresBackend
from clearinghouse.search.documents import SearchQuery
from clearinghouse.search.tests.factories import document, entry_key

pytestmark = pytest.mark.django_db


def keys(query: SearchQuery) -> list[str]:
    return [hit.key for hit in service.search(query).hits]


@pytest.fixture
def registry() -> None:
    service.index(
        [
            document(
                "AR-1",
                language="ar",
                titles={"ar": "حماية الغابات الاستوائية", "en": "Protecting tropical forests"},
                texts={"ar": "تدريب على إدارة الْغَابَاتُ والمحميات الطبيعية وأنواع الأشجار."},
                published="2025-03-01",
                party=["EG"],
                region=["002", "015"],
                support_type=["training"],
                facet_language=["ar", "en"],
            ),
            document(
                "EN-1",
                title="Forest restoration training",
                text="A course on restoring degraded forests and protected areas for rangers.",
                published="2026-02-01",
                party=["KE"],
                region=["002", "202", "014"],
                group=["LDC"],
                support_type=["training"],
            ),
            document(
                "EN-2",
                title="Marine protected areas",
                text="Funding for the management of marine protected areas and coral reefs.",
                record_type="offer",
                published="2024-06-10",
                party=["KE"],
                region=["002", "202", "014"],
                support_type=["funding"],
            ),
            document(
                "FR-1",
                language="fr",
                title="Restauration des écosystèmes forestiers",
                text="Appui technique pour la restauration des forêts et des aires protégées.",
                record_type="offer",
                published="2025-11-20",
                party=["SN"],
                region=["002", "202", "011"],
                group=["LDC"],
                support_type=["expertise"],
            ),
            document(
                "ZH-1",
                language="zh",
                title="森林保护能力建设",
                text="为保护区管理人员提供森林保护培训。",
                published="2023-09-09",
                party=["CN"],
                region=["142", "030"],
                support_type=["training"],
            ),
            document(
                "RU-1",
                language="ru",
                title="Сохранение лесов",
                text="Обучение по сохранению лесов и охраняемых территорий.",
                record_type="resource",
                published="2022-01-05",
                party=["RU"],
                region=["150", "151"],
                support_type=["training"],
            ),
        ]
    )


def test_the_backend_follows_the_database_in_use() -> None:
    assert service.get_backend().vendor == connection.vendor


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize("typed", ["الغابات", "الْغَابَاتُ", "الغابة", "والغابات"])
def test_arabic_with_or_without_marks_finds_the_same_record(typed: str) -> None:
    assert keys(SearchQuery(text=typed)) == ["AR-1"]


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize(
    ("typed", "expected"),
    [("المحميات", ["AR-1"]), ("محمية", ["AR-1"]), ("أنواع", ["AR-1"]), ("انواع", ["AR-1"])],
)
def test_arabic_plural_singular_and_hamza_variants_meet(typed: str, expected: list[str]) -> None:
    assert keys(SearchQuery(text=typed)) == expected


@pytest.mark.usefixtures("registry")
def test_english_words_find_stemmed_forms_in_titles_and_translations() -> None:
    found = set(keys(SearchQuery(text="forest")))
    # AR-1 through its English title, EN-1 through its title and text.
    assert {"AR-1", "EN-1"} <= found
    assert "EN-2" not in found


@pytest.mark.usefixtures("registry")
def test_french_words_are_found_without_their_accents() -> None:
    assert keys(SearchQuery(text="ecosystemes forestiers")) == ["FR-1"]


@pytest.mark.usefixtures("registry")
def test_chinese_words_are_found_inside_runs_of_characters() -> None:
    assert keys(SearchQuery(text="森林")) == ["ZH-1"]
    assert keys(SearchQuery(text="保护区")) == ["ZH-1"]
    assert keys(SearchQuery(text="海洋")) == []


@pytest.mark.usefixtures("registry")
def test_russian_words_are_stemmed() -> None:
    assert keys(SearchQuery(text="лес")) == ["RU-1"]


@pytest.mark.usefixtures("registry")
def test_every_word_must_match() -> None:
    assert keys(SearchQuery(text="marine funding")) == ["EN-2"]
    assert keys(SearchQuery(text="marine rangers")) == []


@pytest.mark.usefixtures("registry")
def test_a_quoted_phrase_must_match_in_order() -> None:
    assert set(keys(SearchQuery(text='"protected areas"'))) == {"EN-1", "EN-2"}
    assert keys(SearchQuery(text='"areas protected"')) == []


@pytest.mark.usefixtures("registry")
def test_title_matches_rank_above_body_matches_and_recency_breaks_ties() -> None:
    ranked = keys(SearchQuery(text="marine"))
    assert ranked[0] == "EN-2"
    # No words: newest first.
    assert keys(SearchQuery()) == ["EN-1", "FR-1", "AR-1", "EN-2", "ZH-1", "RU-1"]


@pytest.mark.usefixtures("registry")
def test_filters_are_anded_across_facets_and_ored_within_one() -> None:
    assert set(keys(SearchQuery(filters={"party": ["KE"]}))) == {"EN-1", "EN-2"}
    assert set(keys(SearchQuery(filters={"party": ["KE", "SN"]}))) == {"EN-1", "EN-2", "FR-1"}
    assert keys(SearchQuery(filters={"party": ["KE"], "support_type": ["funding"]})) == ["EN-2"]
    assert set(keys(SearchQuery(filters={"record_type": ["offer"]}))) == {"EN-2", "FR-1"}


@pytest.mark.usefixtures("registry")
def test_facet_counts_cover_every_match_and_a_filtered_facet_ignores_its_own_filter() -> None:
    result = service.search(SearchQuery(filters={"party": ["KE"]}, page_size=1))
    assert result.total == 2
    assert len(result.hits) == 1
    assert result.facets["support_type"] == {"funding": 1, "training": 1}
    # Counted without the party filter: the other parties stay visible with their numbers.
    assert result.facets["party"]["KE"] == 2
    assert result.facets["party"]["SN"] == 1
    assert result.facets["record_type"] == {"need": 1, "offer": 1}


@pytest.mark.usefixtures("registry")
def test_facet_counts_respect_the_other_filters() -> None:
    result = service.search(SearchQuery(filters={"party": ["KE"], "support_type": ["training"]}))
    assert result.total == 1
    assert result.facets["party"] == {"KE": 1, "EG": 1, "CN": 1, "RU": 1}
    assert result.facets["support_type"] == {"funding": 1, "training": 1}


@pytest.mark.usefixtures("registry")
def test_only_the_facets_asked_for_are_counted() -> None:
    result = service.search(SearchQuery(facets=["group"]))
    assert result.facets == {"group": {"LDC": 2}}


@pytest.mark.usefixtures("registry")
def test_dates_limit_the_results_and_both_ends_are_included() -> None:
    query = SearchQuery(published_from=date(2025, 3, 1), published_to=date(2025, 11, 20))
    assert keys(query) == ["FR-1", "AR-1"]


@pytest.mark.usefixtures("registry")
def test_results_can_be_sorted_by_date_and_paged() -> None:
    assert keys(SearchQuery(sort="oldest", page_size=2)) == ["RU-1", "ZH-1"]
    assert keys(SearchQuery(sort="oldest", page=2, page_size=2)) == ["EN-2", "AR-1"]
    assert keys(SearchQuery(text="forest", sort="newest")) == ["EN-1", "AR-1"]


@pytest.mark.usefixtures("registry")
def test_the_title_is_in_the_readers_language_when_there_is_one() -> None:
    (arabic_reader,) = service.search(SearchQuery(text="الغابات", language="ar")).hits
    (english_reader,) = service.search(SearchQuery(text="الغابات", language="en")).hits
    (french_reader,) = service.search(SearchQuery(text="الغابات", language="fr")).hits
    assert (arabic_reader.title_language, arabic_reader.title) == ("ar", "حماية الغابات الاستوائية")
    assert english_reader.title == "Protecting tropical forests"
    assert french_reader.title_language == "ar"  # no French title: the original


@pytest.mark.usefixtures("registry")
def test_snippets_mark_the_matches_in_the_stored_text() -> None:
    (hit,) = service.search(SearchQuery(text="الغابات")).hits
    assert "<mark>الْغَابَاتُ</mark>" in hit.snippet
    assert hit.snippet_language == "ar"


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize(
    "typed",
    [
        '"unbalanced',
        "forest AND OR NOT NEAR",
        "forest*",
        "col:forest",
        "(forest",
        "-forest",
        '"',
        "\x00forest\x1b",
    ],
)
def test_operators_and_stray_quotes_are_never_an_error(typed: str) -> None:
    result = service.search(SearchQuery(text=typed))
    assert result.total >= 0


@pytest.mark.usefixtures("registry")
def test_a_query_of_ten_thousand_characters_is_cut_with_a_notice() -> None:
    result = service.search(SearchQuery(text="forest " * 1500))
    assert result.notice == "Your search was too long; only the first 200 characters were used."
    assert "EN-1" in [hit.key for hit in result.hits]


@pytest.mark.usefixtures("registry")
def test_a_query_without_words_shows_everything_with_a_notice() -> None:
    result = service.search(SearchQuery(text="the of ,,, !!"))
    assert result.total == 6
    assert result.notice


@pytest.mark.usefixtures("registry")
def test_a_page_beyond_the_results_is_empty_and_deep_pages_are_capped() -> None:
    assert keys(SearchQuery(page=9)) == []
    result = service.search(SearchQuery(page=10**6, page_size=100))
    assert result.page == 100
    assert result.notice


@pytest.mark.usefixtures("registry")
def test_indexing_a_key_again_replaces_the_record() -> None:
    service.index([document("EN-2", title="Seagrass meadows", published="2026-03-01")])
    assert keys(SearchQuery(text="marine")) == []
    assert keys(SearchQuery(text="seagrass")) == ["EN-2"]
    assert service.search(SearchQuery()).total == 6


@pytest.mark.usefixtures("registry")
def test_removed_records_are_no_longer_found() -> None:
    assert service.remove(["EN-1", "NOT-THERE"]) == 1
    assert "EN-1" not in keys(SearchQuery(text="forest"))


@pytest.mark.usefixtures("registry")
def test_rebuild_replaces_the_whole_index() -> None:
    assert service.rebuild([document("NEW-1", title="Wetlands"), document("NEW-1", title="Wetlands")]) == 1
    assert keys(SearchQuery()) == ["NEW-1"]


def test_records_published_in_the_same_second_keep_apart() -> None:
    service.index(
        [document(f"SAME-{number}", title="Pollinators", published="2026-05-05") for number in range(50)]
    )
    assert service.search(SearchQuery(text="pollinators")).total == 50


def test_very_large_result_sets_are_counted_from_a_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    service.index(
        document(
            f"BULK-{number:04d}",
            title="biodiversity",
            published=f"20{10 + number % 15}-0{1 + number % 9}-1{number % 9}",
            support_type=["training" if number % 4 else "funding"],
        )
        for number in range(600)
    )
    monkeypatch.setattr(service, "EXACT_LIMIT", 100)
    monkeypatch.setattr(service, "SAMPLE_TARGET", 300)
    result = service.search(SearchQuery(text="biodiversity"))
    assert result.approximate
    assert result.approximate_facets == tuple(result.facets)
    assert 300 <= result.total <= 1200
    assert 200 <= result.facets["support_type"]["training"] <= 700
    assert len(result.hits) == 20


def test_relevance_ranks_the_newest_matches_first_on_very_large_result_sets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service.index(
        document(
            f"BULK-{number:04d}",
            title="biodiversity" + (" biodiversity" * (number % 3)),
            published=f"{2000 + number // 12}-{1 + number % 12:02d}-15",
        )
        for number in range(300)
    )
    monkeypatch.setattr(service, "EXACT_LIMIT", 50)
    monkeypatch.setattr(service, "SAMPLE_TARGET", 150)
    backend = type(service.get_backend())
    monkeypatch.setattr(backend, "rank_window", 60)
    pages = {}
    # With or without the year and month tokens that narrow the window, the same pages.
    for hints in (True, False):
        monkeypatch.setattr(backend, "month_hints", lambda self, window, matches, hints=hints: hints)
        result = service.search(SearchQuery(text="biodiversity", page_size=100))
        assert result.approximate
        assert len(result.hits) == 100
        assert len({hit.key for hit in result.hits}) == 100
        second = service.search(SearchQuery(text="biodiversity", page=2, page_size=100))
        assert not {hit.key for hit in result.hits} & {hit.key for hit in second.hits}
        pages[hints] = [hit.key for hit in result.hits + second.hits]
    assert pages[True] == pages[False]


def test_postgresql_narrows_by_month_only_when_the_window_is_a_small_part_of_the_matches() -> None:
    backend = PostgresBackend()
    backend._records = 1_000_000
    assert backend.month_hints(window=2000, matches=800_000)
    assert backend.month_hints(window=2000, matches=20_000)
    # The window's months would hold two thirds of the index: reading the matches is cheaper.
    assert not backend.month_hints(window=2000, matches=3000)
    assert not backend.month_hints(window=2000, matches=1500)


def test_a_selective_filter_on_a_common_word_is_counted_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    service.index(
        document(
            f"BULK-{number:04d}",
            title="biodiversity",
            published=f"20{10 + number % 15}-0{1 + number % 9}-1{number % 9}",
            party=["KE" if number % 20 == 0 else "TZ"],
            support_type=["training" if number % 40 == 0 else "funding"],
        )
        for number in range(600)
    )
    monkeypatch.setattr(service, "EXACT_LIMIT", 100)
    monkeypatch.setattr(service, "SAMPLE_TARGET", 300)
    result = service.search(SearchQuery(text="biodiversity", filters={"party": ["KE"]}))
    # The words match too many records to count, the filtered ones are few: their total and the
    # other facets are exact; only the filtered facet's counts (over every party) are estimates.
    assert not result.approximate
    assert result.total == 30
    assert result.facets["support_type"] == {"funding": 15, "training": 15}
    assert result.approximate_facets == ("party",)


@pytest.mark.usefixtures("registry")
def test_a_phrase_does_not_run_from_a_title_into_its_body() -> None:
    # EN-1's title ends with "training", its text starts with "A course".
    assert keys(SearchQuery(text='"training course"')) == []
    assert keys(SearchQuery(text='"restoration training"')) == ["EN-1"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only the PostgreSQL index holds pairs")
@pytest.mark.usefixtures("registry")
def test_the_migration_makes_the_same_pairs_as_indexing() -> None:
    migration = importlib.import_module("clearinghouse.search.migrations.0004_phrase_pairs")
    pairs = "SELECT count(*) FROM search_searchentry, unnest(tsv) WHERE position(' ' IN lexeme) > 0"
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, tsv::text FROM search_searchentry ORDER BY key")
        indexed = cursor.fetchall()
        cursor.execute(pairs)
        assert cursor.fetchone()[0] > 0
        cursor.execute(migration.WITHOUT_PAIRS)
        cursor.execute(pairs)
        assert cursor.fetchone()[0] == 0
        cursor.execute(migration.PAIRS_FROM_POSITIONS)
        cursor.execute("SELECT key, tsv::text FROM search_searchentry ORDER BY key")
        assert cursor.fetchall() == indexed
        # What every search reads stays in the row.
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attname IN ('tsv', 'facet_values')",
            ["search_searchentry"],
        )
        assert dict(cursor.fetchall()) == {"tsv": "m", "facet_values": "m"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend's ranking")
def test_postgresql_ranks_a_query_of_many_words_by_ts_rank_and_of_few_by_ts_rank_cd() -> None:
    from clearinghouse.search.backends import postgres
    from clearinghouse.search.backends.base import Match

    service.index(
        [
            document("W-1", title="Women conservation local communities", text="Local women, rural areas."),
            document("W-2", title="Rural women", text="Conservation by local communities of women."),
            document("W-3", title="Communities", text="Women and local conservation, communities based."),
            document("W-4", title="Budget lines", text="Accounting for women."),
        ]
    )
    # More than 8 words, as an expanded query has.
    many = Match(
        clauses=(
            (("women",), ("femm",), ("rural", "women")),
            (("local",), ("communaut", "local"), ("conserv", "communautair"), ("rural", "area")),
            (("communiti",), ("communiti", "base", "conserv"), ("comun", "rural")),
        )
    )
    few = Match(clauses=((("local", "communiti"),),))
    backend = PostgresBackend()
    cases = ((many, "ts_rank", {"W-1", "W-2", "W-3"}), (few, "ts_rank_cd", {"W-1", "W-2"}))
    for match, function, keys in cases:
        by_relevance = backend.ranked(match, "relevance", 10, 0)
        assert {entry_key(item.id) for item in by_relevance} == keys
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, {function}(tsv, %s::tsquery, 1) FROM search_searchentry",  # noqa: S608
                [postgres.words_literal(match, pairs=False)],
            )
            expected = dict(cursor.fetchall())
        scores = {item.id: item.score for item in by_relevance}
        assert scores == pytest.approx({entry: expected[entry] for entry in scores})
        assert [item.score for item in by_relevance] == sorted(scores.values(), reverse=True)
        # Sorted by date, each row keeps the score it has by relevance.
        for order in ("newest", "oldest"):
            assert {item.id: item.score for item in backend.ranked(match, order, 10, 0)} == scores
