"""What reaches the engines: quoted terms only, whatever was typed (no database needed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from clearinghouse.search.backends.base import Match, Shared
from clearinghouse.search.backends.postgres import (
    MAX_POSITION,
    PostgresBackend,
    pairs,
    tsvector_literal,
    words_literal,
)
from clearinghouse.search.backends.sqlite import fts_expression
from clearinghouse.search.entries import (
    build_entry,
    entry_id,
    id_range,
    id_time,
    sample_bound,
    sample_token,
    time_tokens,
)
from clearinghouse.search.hybrid import holds_words
from clearinghouse.search.tests.factories import document
from clearinghouse.search.text import parse_query


def test_fts5_expressions_quote_every_term_and_double_quotes_inside() -> None:
    match = Match(clauses=((('a"b',), ("c", "d")),), filters=((("f_x_01",),),))
    assert fts_expression(match) == '("a""b" OR "c" + "d") AND "f_x_01"'


def test_tsquery_literals_quote_every_lexeme_and_escape_quotes_and_backslashes() -> None:
    match = Match(clauses=((("it's",), ("a\\b", "c")),))
    assert words_literal(match) == "('it''s' | 'a\\\\b' <-> 'c')"


def test_a_name_that_several_words_hold_is_written_once_for_both_engines() -> None:
    # "especies exóticas invasoras", expanded: every word holds the concept's other names.
    names = (("invas", "alien", "speci"), ("外来", "入侵"))
    match = Match(clauses=((("especi",), *names), (("exot",), *names), (("invasor",), *names), (("rio",),)))
    assert match.factored() == [
        Shared(own=((("especi",),), (("exot",),), (("invasor",),)), common=names),
        (("rio",),),
    ]
    assert fts_expression(match) == (
        '(("especi" AND "exot" AND "invasor") OR "invas" + "alien" + "speci" OR "外来" + "入侵") AND "rio"'
    )
    assert words_literal(match, pairs=False) == (
        "(('especi' & 'exot' & 'invasor') | 'invas' <-> 'alien' <-> 'speci' | '外来' <-> '入侵') & 'rio'"
    )
    # A word that is itself one of the names: the name alone answers for all of them.
    alone = Match(clauses=((("foret",), ("forest",)), (("forest",),)))
    assert alone.factored() == [Shared(own=(), common=(("forest",),))]
    assert fts_expression(alone) == '"forest"'


PHRASES = [("a",), ("b",), ("c",), ("d",), ("e", "f"), ("g", "h")]


# No deadline: the property is about what matches; a busy machine (the suite's parallel workers)
# made one example take over Hypothesis's default 200 ms, and time is the benchmarks' to judge.
@settings(deadline=None)
@given(
    clauses=st.lists(
        st.lists(st.sampled_from(PHRASES), min_size=1, max_size=4, unique=True), min_size=1, max_size=5
    ),
    held=st.sets(st.sampled_from(PHRASES)),
)
def test_factored_clauses_match_what_the_clauses_match_with_no_phrase_written_more_often(
    clauses: list[list[tuple[str, ...]]], held: set[tuple[str, ...]]
) -> None:
    match = Match(clauses=tuple(tuple(clause) for clause in clauses))

    def holds(clause: tuple[tuple[str, ...], ...]) -> bool:
        return any(sequence in held for sequence in clause)

    def part_holds(part: tuple[tuple[str, ...], ...] | Shared) -> bool:
        if isinstance(part, Shared):
            return (bool(part.own) and all(map(holds, part.own))) or holds(part.common)
        return holds(part)

    parts = match.factored()
    assert all(map(part_holds, parts)) == all(map(holds, match.clauses))
    written = sum(
        sum(map(len, part.own)) + len(part.common) if isinstance(part, Shared) else len(part)
        for part in parts
    )
    assert written <= sum(map(len, match.clauses))


TERMS = ["a", "b", "c", "d"]


@settings(deadline=None)
@given(
    columns=st.lists(st.lists(st.sampled_from(TERMS), max_size=8), min_size=2, max_size=2),
    clauses=st.lists(
        st.lists(st.lists(st.sampled_from(TERMS), min_size=1, max_size=3).map(tuple), min_size=1, max_size=4),
        min_size=1,
        max_size=3,
    ),
)
def test_holding_the_words_is_what_the_engines_match(
    columns: list[list[str]], clauses: list[list[tuple[str, ...]]]
) -> None:
    # What the engines do: a sequence matches where its terms follow one another in one column.
    def follows(sequence: tuple[str, ...], terms: list[str]) -> bool:
        return any(tuple(terms[start : start + len(sequence)]) == sequence for start in range(len(terms)))

    expected = all(
        any(follows(sequence, terms) for sequence in clause for terms in columns) for clause in clauses
    )
    assert holds_words(columns, [tuple(clause) for clause in clauses]) == expected


def test_typed_operators_end_up_as_quoted_words() -> None:
    expression = fts_expression(Match(clauses=parse_query('forest NEAR(x) "col": -zed*').clauses))
    assert expression == '"forest" AND "near" AND "x" AND "col" AND "zed"'


def test_a_tsvector_keeps_title_and_body_positions_apart_and_tokens_without_positions() -> None:
    entry = build_entry(document("K-1", title="Forests", text="Forests and rivers", party=["KE"]), 1 << 12)
    literal = tsvector_literal(entry)
    assert "'forest':1A,3" in literal
    assert "'river':4" in literal
    assert "'f_party_4b45'" in literal


def test_pairs_are_the_terms_whose_positions_follow_within_a_title_or_a_body() -> None:
    entry = build_entry(document("K-1", title="Forests", text="Forests and rivers, rivers"), 1 << 12)
    # forest:1A | forest:3 river:4,5 — the title's last term does not pair with the body's first.
    assert pairs(entry) == ["forest river", "river river"]
    assert tsvector_literal(entry).endswith("'forest river' 'river river'")


def test_past_the_last_position_terms_pair_only_with_the_term_just_before() -> None:
    entry = build_entry(document("K-1", title="x", text="y"), 1 << 12)
    body = tuple(f"w{number}" for number in range(MAX_POSITION + 5))
    found = set(pairs(replace(entry, title_terms=(), body_terms=body)))
    # The body starts at position 2 (after an empty title and the gap): body[i] is at i + 2.
    before_cap, stacked = body[MAX_POSITION - 3], body[MAX_POSITION - 2 :]
    # PostgreSQL's <-> finds it followed by every term stacked on the last position.
    assert {f"{before_cap} {term}" for term in stacked} <= found
    assert f"{stacked[0]} {stacked[1]}" not in found
    assert len(found) == MAX_POSITION - 3 + len(stacked)


def test_phrases_also_ask_for_their_pairs_and_rank_by_their_words_only() -> None:
    phrase = Match(clauses=((("protect", "area", "speci"),), (("river",),)))
    assert words_literal(phrase) == (
        "'protect' <-> 'area' <-> 'speci' & 'river' & 'protect area' & 'area speci'"
    )
    assert words_literal(phrase, pairs=False) == "'protect' <-> 'area' <-> 'speci' & 'river'"
    variants = Match(clauses=((("protect", "area"), ("proteg", "area")),))
    assert words_literal(variants) == (
        "('protect' <-> 'area' | 'proteg' <-> 'area') & (('protect area') | ('proteg area'))"
    )
    # One alternative is a single word: the pairs cannot narrow that clause down.
    mixed = Match(clauses=((("forest",), ("foret", "tropical")),))
    assert words_literal(mixed) == "('forest' | 'foret' <-> 'tropical')"


def test_postgresql_asks_for_the_tokens_first_and_the_words_apart() -> None:
    # Two scan keys, the tokens first: GIN then skips through the words' posting lists to the
    # records the filters and the sample leave.
    match = Match(
        clauses=((("coral", "reef"),), (("survey",),)),
        filters=(((("f_region_01", "f_region_02"), ("f_type_need",)),)),
        sample=64,
    )
    where, params = PostgresBackend()._where(match)
    assert where == " WHERE tsv @@ %s::tsquery AND tsv @@ %s::tsquery"
    assert params == [
        f"('f_region_01' | 'f_region_02') & 'f_type_need' & '{sample_token(64)}'",
        "'coral' <-> 'reef' & 'survey' & 'coral reef'",
    ]
    assert PostgresBackend()._where(Match()) == ("", [])
    assert PostgresBackend()._where(replace(match, clauses=()))[1] == params[:1]


def test_ids_follow_publication_and_date_ranges_are_id_ranges() -> None:
    earlier = entry_id(datetime(2025, 1, 1, tzinfo=UTC), "A")
    later = entry_id(datetime(2025, 1, 2, tzinfo=UTC), "A")
    assert earlier < later
    assert id_time(earlier) == datetime(2025, 1, 1, tzinfo=UTC)
    low, high = id_range(date(2025, 1, 2), date(2025, 1, 2))
    assert low is not None
    assert high is not None
    assert low <= later <= high
    assert not low <= earlier <= high


def test_sample_bounds_are_powers_of_two_with_one_token_each() -> None:
    assert sample_bound(3000.5) == 2048
    assert sample_bound(0.2) == 1
    assert sample_bound(10_000) == 4096
    assert sample_token(8) == "p_3"


def test_a_records_sample_tokens_say_which_samples_it_is_in() -> None:
    entry = build_entry(document("K-1", title="x"), (1 << 12) | 5)  # bucket 5
    assert [token for token in entry.meta_tokens if token.startswith("p_")] == [
        f"p_{j}" for j in range(3, 12)
    ]


def test_time_tokens_cover_whole_years_with_one_token() -> None:
    start = entry_id(datetime(2023, 11, 5, tzinfo=UTC), "A")
    end = entry_id(datetime(2025, 2, 1, tzinfo=UTC), "B")
    assert time_tokens(start, end) == ("m_202311", "m_202312", "y_2024", "m_202501", "m_202502")
