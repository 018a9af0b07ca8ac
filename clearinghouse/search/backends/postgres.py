"""PostgreSQL full-text search: the production backend.

The entry table has a ``tsv`` tsvector column with a GIN index (added by a migration on
PostgreSQL only). The tsvector is written as a literal (lexemes with positions and weights: A for
titles, D for bodies) rather than made by to_tsvector, so PostgreSQL's parser never splits our
terms again; for the same reason tsqueries are literals of quoted lexemes, always passed as bound
parameters.

Phrases. GIN knows which records hold a phrase's words but not where: each of those records is
read again to check the positions, and for common words that is most of the index (30,000
records reread for one phrase at a million). So the tsvector also holds every two adjacent terms
of a record as one lexeme without a position ("protect area"), and a phrase's tsquery also asks
for its pairs: the index then hands over only the records that hold all of them.
"""

from __future__ import annotations

import json
import re
import time
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import pairwise
from typing import Any

from django.db import connection

from clearinghouse.search.backends.base import Backend, Match, Order, Ranked, Syntax
from clearinghouse.search.entries import IndexedEntry
from clearinghouse.search.text import Clause

ENTRY = "search_searchentry"
TSV_INDEX = "search_entry_tsv"
MAX_POSITION = 16383  # PostgreSQL's largest lexeme position
# What a lexeme literal escapes.
_QUOTED = re.compile(r"['\\]")
# ts_rank_cd's normalisation 1: divide by 1 + the logarithm of the document's length.
RANK_NORMALISATION = 1
# Reading a GIN posting-list entry costs about a fiftieth of fetching and rechecking a row
# (0.1 µs against 5 µs at a million records; docs/search.md).
POSTING_TO_ROW_COST = 0.02


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _placed(entry: IndexedEntry) -> Iterator[tuple[str, int, str]]:
    """(term, position, weight): title terms at weight A, body terms at weight D (written as
    nothing), with a gap between the two so that no phrase runs from one into the other."""
    position = 0
    for terms, weight in ((entry.title_terms, "A"), (entry.body_terms, "")):
        for term in terms:
            position = min(position + 1, MAX_POSITION)
            yield term, position, weight
        position += 1


def tsvector_literal(entry: IndexedEntry) -> str:
    """The terms with their positions and weights, the index's own tokens and the pairs of
    adjacent terms, both without a position."""
    titles, bodies = entry.title_terms, entry.body_terms
    if len(titles) + len(bodies) + 2 < MAX_POSITION and not _QUOTED.search(
        " ".join((*titles, *bodies, *entry.meta_tokens))
    ):
        return _plain_tsvector_literal(entry)
    placed = list(_placed(entry))
    positions: dict[str, list[str]] = {}
    for term, position, weight in placed:
        positions.setdefault(term, []).append(f"{position}{weight}")
    parts = [f"{_lexeme(term)}:{','.join(places)}" for term, places in positions.items()]
    parts += [_lexeme(token) for token in entry.meta_tokens if token not in positions]
    parts += [_lexeme(item) for item in _pairs(placed)]
    return " ".join(parts)


def _plain_tsvector_literal(entry: IndexedEntry) -> str:
    """``tsvector_literal`` of the usual record, made faster (a rebuild makes a million): one
    term at each position and nothing to escape."""
    titles, bodies = entry.title_terms, entry.body_terms
    positions: dict[str, list[str]] = {}
    for position, term in enumerate(titles, start=1):
        positions.setdefault(term, []).append(f"{position}A")
    for position, term in enumerate(bodies, start=len(titles) + 2):
        positions.setdefault(term, []).append(str(position))
    parts = [f"'{term}':{','.join(places)}" for term, places in positions.items()]
    parts += [f"'{token}'" for token in entry.meta_tokens if token not in positions]
    adjacent = dict.fromkeys(
        f"'{first} {second}'" for terms in (titles, bodies) for first, second in pairwise(terms)
    )
    parts += adjacent
    return " ".join(parts)


def pair(first: str, second: str) -> str:
    # Terms never hold a space: a pair cannot be mistaken for a term, nor two pairs for one.
    return f"{first} {second}"


def pairs(entry: IndexedEntry) -> list[str]:
    """Every two terms whose positions follow, once each: what ``<->`` finds in the tsvector
    (past the last position, terms share it and follow only the term just before)."""
    return _pairs(list(_placed(entry)))


def _pairs(placed: list[tuple[str, int, str]]) -> list[str]:
    terms_at: dict[int, list[str]] = {}
    for term, position, _weight in placed:
        terms_at.setdefault(position, []).append(term)
    return list(
        dict.fromkeys(
            pair(first, second)
            for position, firsts in terms_at.items()
            for first in firsts
            for second in terms_at.get(position + 1, ())
        )
    )


SYNTAX = Syntax(phrase=lambda sequence: " <-> ".join(map(_lexeme, sequence)), both=" & ", either=" | ")


def words_literal(match: Match, pairs: bool = True) -> str:
    """The match's words as a tsquery ("" when it has none), a name that several words hold
    spelt once (``Match.factored``). A phrase's pairs, which it cannot match without, come with
    them so that the index narrows it down (each clause's, which its words imply); ranking asks
    for the words alone (``pairs`` False)."""
    parts = SYNTAX.words(match)
    if pairs:
        parts += [condition for clause in match.clauses if (condition := _pairs_of(clause)) is not None]
    return SYNTAX.both.join(parts)


def tokens_literal(match: Match) -> str:
    """The match's conditions on tokens other than words: filters, sample, months ("" when it
    has none)."""
    return SYNTAX.both.join(SYNTAX.tokens(match))


def _pairs_of(clause: Clause) -> str | None:
    """What a clause asks of the pairs when all its alternatives are phrases: one of them with
    all its pairs (a single word in the clause: nothing)."""
    if not clause or any(len(sequence) < 2 for sequence in clause):
        return None
    options = [" & ".join(_lexeme(pair(*two)) for two in pairwise(sequence)) for sequence in clause]
    return options[0] if len(options) == 1 else "(" + " | ".join(f"({o})" for o in options) + ")"


# Above this many words in a query, rows are ranked by ts_rank rather than ts_rank_cd (``_score``).
FULL_RANK_OPERANDS = 8


def _score(match: Match) -> tuple[str, list[Any]]:
    """The score of a row for the match's words, and its parameter.

    ``ts_rank_cd`` (cover density: the words close together score higher) costs about the number
    of the query's words times the places where the row holds them, and expansion
    (``expansion.py``) makes a query of 60 to 100 words in six languages: 0.7 ms a row with the
    whole query, and still 55 µs with the query cut down to each row's words. ``ts_rank``
    (how often the words occur, titles weighing most) costs about 9 µs a row for such a query,
    on top of the 7 µs of reading the row. So a query of more than 8 words, that is nearly
    every expanded query, is ranked by ``ts_rank``: on the development set, recall@10 and
    cross-lingual recall@10 stayed within 0.002 and MRR went from 0.921 to 0.911; in a profile
    of 300 searches at 100,000 records the p95 went from 209 to 144 ms (docs/search.md, "Run 6")."""
    function = "ts_rank_cd" if len(match.terms()) <= FULL_RANK_OPERANDS else "ts_rank"
    return f"{function}(tsv, %s::tsquery, {RANK_NORMALISATION})", [words_literal(match, pairs=False)]


# PostgreSQL's estimate of the entries, asked again after this many seconds (a new backend
# serves each search; the estimate only weighs month hints).
RECORDS_ESTIMATE_SECONDS = 60.0
_records_estimate: dict[str, tuple[float, float]] = {}


def _estimated_records() -> float:
    """pg_class's row estimate of the entries (negative when never analysed), kept a minute per
    database."""
    alias = connection.alias + ":" + str(connection.settings_dict.get("NAME"))
    now = time.monotonic()
    known = _records_estimate.get(alias)
    if known is not None and now - known[0] < RECORDS_ESTIMATE_SECONDS:
        return known[1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [ENTRY])
        records = float(cursor.fetchone()[0])
    _records_estimate[alias] = (now, records)
    return records


# The connections whose JIT is off for good (``PostgresBackend.session``).
_WITHOUT_JIT: weakref.WeakSet[Any] = weakref.WeakSet()


class PostgresBackend(Backend):
    vendor = "postgresql"
    rank_window = 2000  # reading a row costs about 7 µs, scoring it (``_score``) up to 9 µs more
    # ts_rank of the holders' words costs 5 µs a row more than reading it: 2,000 holders cost
    # about 25 ms (docs/search.md, "Run 6").
    holders_limit = 2000

    def __init__(self) -> None:
        self._records: float | None = None

    def month_hints(self, window: int, matches: int) -> bool:
        # A GIN index cannot read "the newest matches" in order: year and month tokens narrow it
        # down, but their posting lists are long. They pay off when reading the window's months
        # costs less than fetching and rechecking the older matches.
        if matches <= window:
            return False
        if self._records is None:
            self._records = _estimated_records()
        if self._records < 0:  # never analysed: no figure to weigh
            return True
        postings = self._records * window / matches
        return postings * POSTING_TO_ROW_COST < matches - window

    @contextmanager
    def session(self) -> Iterator[None]:
        # Compiling these short queries would cost more than running them (25 ms). JIT is switched
        # off once for the connection, which serves many searches (CONN_MAX_AGE): a transaction
        # and SET LOCAL around each search were three more round trips. Inside a transaction
        # the setting could be rolled back with it, so there it is set for that transaction only.
        connection.ensure_connection()
        raw = connection.connection
        if connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        elif raw not in _WITHOUT_JIT:
            with connection.cursor() as cursor:
                cursor.execute("SET jit = off")
            _WITHOUT_JIT.add(raw)
        yield

    def _where(self, match: Match) -> tuple[str, list[Any]]:
        conditions: list[str] = []
        params: list[Any] = []
        # The tokens (filters, sample, months) and the words are two conditions, the tokens
        # first: in one tsquery GIN reads through the posting lists of an expanded query's many
        # words to find the few records a filter or a sample leaves (83 ms for 119 records),
        # and as two scan keys it advances the words' lists to the tokens' records (10 ms; 43
        # ms with the words first). docs/search.md, "Run 6".
        for part in (tokens_literal(match), words_literal(match)):
            if part:
                conditions.append("tsv @@ %s::tsquery")
                params.append(part)
        if match.id_min is not None:
            conditions.append("id >= %s")
            params.append(match.id_min)
        if match.id_max is not None:
            conditions.append("id <= %s")
            params.append(match.id_max)
        if match.window_from is not None:
            # "+ 0" keeps the planner from ANDing a third of the primary key into the bitmap
            # (it did: 34 ms for the key, and a lossy bitmap after).
            conditions.append("id + 0 >= %s")
            params.append(match.window_from)
        return (" WHERE " + " AND ".join(conditions)) if conditions else "", params

    def count(self, match: Match) -> int:
        where, params = self._where(match)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {ENTRY}{where}", params)  # noqa: S608  # nosec B608  # constant SQL; values are parameters
            return int(cursor.fetchone()[0])

    def rows(self, match: Match, limit: int | None) -> list[tuple[int, str]]:
        where, params = self._where(match)
        sql = f"SELECT id, facet_values FROM {ENTRY}{where}"  # noqa: S608  # nosec B608  # constant SQL; values are parameters
        if limit is not None:
            sql += " LIMIT %s"
            params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(int(entry), str(values)) for entry, values in cursor.fetchall()]

    def ranked(
        self, match: Match, order: Order, limit: int, offset: int, candidates: Sequence[int] | None = None
    ) -> list[Ranked]:
        params: list[Any]
        if candidates is not None:
            # The matches are known: fetching them by id spares the GIN index and the rechecks of
            # phrases a second time.
            where, params = " WHERE id = ANY(%s)", [list(candidates)]
        else:
            where, params = self._where(match)
        if not match.clauses:
            sort = "id" if order == "oldest" else "id DESC"
            sql = f"SELECT id, 0.0 FROM {ENTRY}{where} ORDER BY {sort} LIMIT %s OFFSET %s"  # noqa: S608  # nosec B608  # constant SQL; values are parameters
            return self._fetch_ranked(sql, [*params, limit, offset])
        score, score_params = _score(match)
        if order == "relevance":
            sql = (
                f"SELECT id, {score} FROM {ENTRY}{where} "  # noqa: S608  # nosec B608  # constant SQL; values are parameters
                "ORDER BY 2 DESC, id DESC LIMIT %s OFFSET %s"
            )
            return self._fetch_ranked(sql, [*score_params, *params, limit, offset])
        # By date: only the page's rows are scored.
        sort = "id" if order == "oldest" else "id DESC"
        sql = (
            f"SELECT id, {score} FROM (SELECT id, tsv FROM {ENTRY}{where} "  # noqa: S608  # nosec B608  # constant SQL; values are parameters
            f"ORDER BY {sort} LIMIT %s OFFSET %s) AS page ORDER BY {sort}"
        )
        return self._fetch_ranked(sql, [*score_params, *params, limit, offset])

    def matched_among(self, match: Match, ids: Sequence[int]) -> set[int] | None:
        # The candidates by their key, then the match checked on each (OFFSET 0 keeps the planner
        # from scanning GIN for an expanded query's many words, 100 ms, to check a hundred rows).
        where, params = self._where(match)
        sql = f"SELECT id FROM (SELECT id, tsv FROM {ENTRY} WHERE id = ANY(%s) OFFSET 0) AS candidates{where}"  # noqa: S608  # nosec B608  # constant SQL; values are parameters
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(ids), *params])
            return {int(row[0]) for row in cursor.fetchall()}

    def best_holders(self, match: Match, limit: int) -> list[int]:
        # ts_rank of every word, whichever clause it is in (see ``_score``): these candidates
        # need only a good order of the records holding the most of the words.
        where, params = self._where(match)
        words = SYNTAX.alternatives((term,) for term in match.terms())
        sql = (
            f"SELECT id, ts_rank(tsv, %s::tsquery, {RANK_NORMALISATION}) FROM {ENTRY}{where} "  # noqa: S608  # nosec B608  # constant SQL; values are parameters
            "ORDER BY 2 DESC, id DESC LIMIT %s"
        )
        return [item.id for item in self._fetch_ranked(sql, [words, *params, limit])]

    @staticmethod
    def _fetch_ranked(sql: str, params: list[Any]) -> list[Ranked]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [Ranked(int(entry), float(value)) for entry, value in cursor.fetchall()]

    def max_id(self) -> int | None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT max(id) FROM {ENTRY}")  # noqa: S608  # nosec B608  # constant SQL; values are parameters
            value = cursor.fetchone()[0]
            return None if value is None else int(value)

    def taken(self, ids: Iterable[int]) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {ENTRY} WHERE id = ANY(%s)", [list(ids)])  # noqa: S608  # nosec B608  # constant SQL; values are parameters
            return {int(row[0]) for row in cursor.fetchall()}

    def taken_between(self, low: int, high: int) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {ENTRY} WHERE id >= %s AND id < %s", [low, high])  # noqa: S608  # nosec B608  # constant SQL; values are parameters
            return {int(row[0]) for row in cursor.fetchall()}

    def _copy(self, entries: Iterable[IndexedEntry]) -> int:
        count = 0
        columns = (
            "id, key, record_type, language, titles, texts, facet_values, published_at, "
            "first_published_at, url, tsv"
        )
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {ENTRY} ({columns}) FROM STDIN") as copy,
        ):
            for entry in entries:
                document = entry.document
                copy.write_row(
                    (
                        entry.id,
                        entry.key,
                        document.record_type,
                        document.language,
                        json.dumps(dict(document.titles), ensure_ascii=False),
                        json.dumps(dict(document.texts), ensure_ascii=False),
                        entry.facet_values,
                        document.published_at,
                        document.first_published,
                        document.url,
                        tsvector_literal(entry),
                    )
                )
                count += 1
        return count

    def insert(self, entries: list[IndexedEntry]) -> None:
        self._copy(entries)

    def delete(self, keys: Iterable[str]) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {ENTRY} WHERE key = ANY(%s)", [list(keys)])  # noqa: S608  # nosec B608  # constant SQL; values are parameters
            return int(cursor.rowcount)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {ENTRY}")

    def bulk_load(self, batches: Iterable[list[IndexedEntry]]) -> int:
        # Building a GIN index once is several times faster than updating it row by row.
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {TSV_INDEX}")
        # One COPY per batch: the documents may be read from this same connection (the registry's
        # provider streams records), which cannot run a query while a COPY is open.
        count = sum(self._copy(batch) for batch in batches)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX {TSV_INDEX} ON {ENTRY} USING gin (tsv)")
            cursor.execute(f"ANALYZE {ENTRY}")
        return count
