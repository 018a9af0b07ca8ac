"""PostgreSQL full-text search: the production backend.

The entry table has a ``tsv`` tsvector column with a GIN index (added by a migration on
PostgreSQL only). The tsvector is written as a literal (lexemes with positions and weights: A for
titles, D for bodies) rather than made by to_tsvector, so PostgreSQL's parser never splits our
terms again; for the same reason tsqueries are literals of quoted lexemes, always passed as bound
parameters.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

from clearinghouse.search.backends.base import Backend, Match, Order, Ranked
from clearinghouse.search.entries import IndexedEntry

ENTRY = "search_searchentry"
TSV_INDEX = "search_entry_tsv"
MAX_POSITION = 16383  # PostgreSQL's largest lexeme position
# ts_rank_cd's normalisation 1: divide by 1 + the logarithm of the document's length.
RANK_NORMALISATION = 1


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(entry: IndexedEntry) -> str:
    """Title terms at weight A, body terms at weight D, a gap between the two so that no phrase
    runs from one into the other, and the index's own tokens without a position."""
    positions: dict[str, list[str]] = {}
    position = 0
    for terms, weight in ((entry.title_terms, "A"), (entry.body_terms, "")):
        for term in terms:
            position = min(position + 1, MAX_POSITION)
            positions.setdefault(term, []).append(f"{position}{weight}")
        position += 1
    parts = [f"{_lexeme(term)}:{','.join(places)}" for term, places in positions.items()]
    parts += [_lexeme(token) for token in entry.meta_tokens if token not in positions]
    return " ".join(parts)


def _alternatives(options: Iterable[tuple[str, ...]]) -> str:
    parts = [" <-> ".join(_lexeme(term) for term in sequence) for sequence in options]
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


def tsquery_literal(match: Match, words_only: bool = False) -> str:
    parts = [_alternatives(clause) for clause in match.clauses]
    if words_only:
        return " & ".join(parts)
    if match.filters:
        conjunctions = [
            " & ".join(_alternatives((token,) for token in group) for group in conjunction)
            for conjunction in match.filters
        ]
        parts.append(
            conjunctions[0]
            if len(conjunctions) == 1
            else "(" + " | ".join(f"({c})" for c in conjunctions) + ")"
        )
    for group in match.token_groups():
        parts.append(_alternatives(group))
    return " & ".join(parts)


class PostgresBackend(Backend):
    vendor = "postgresql"
    rank_window = 2000  # ts_rank_cd costs about 7 µs a row
    # A GIN index cannot read "the newest matches" in order: year and month tokens narrow it down.
    month_hints = True

    @contextmanager
    def session(self) -> Iterator[None]:
        with transaction.atomic(), connection.cursor() as cursor:
            # Compiling these short queries would cost more than running them.
            cursor.execute("SET LOCAL jit = off")
            yield

    def _where(self, match: Match) -> tuple[str, list[Any]]:
        conditions: list[str] = []
        params: list[Any] = []
        if not match.matches_everything:
            conditions.append("tsv @@ %s::tsquery")
            params.append(tsquery_literal(match))
        if match.id_min is not None:
            conditions.append("id >= %s")
            params.append(match.id_min)
        if match.id_max is not None:
            conditions.append("id <= %s")
            params.append(match.id_max)
        return (" WHERE " + " AND ".join(conditions)) if conditions else "", params

    def count(self, match: Match) -> int:
        where, params = self._where(match)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {ENTRY}{where}", params)  # noqa: S608
            return int(cursor.fetchone()[0])

    def rows(self, match: Match, limit: int | None) -> list[tuple[int, str]]:
        where, params = self._where(match)
        sql = f"SELECT id, facet_values FROM {ENTRY}{where}"  # noqa: S608
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
        if match.clauses:
            score = f"ts_rank_cd(tsv, %s::tsquery, {RANK_NORMALISATION})"
            params = [tsquery_literal(match, words_only=True), *params]
        else:
            score = "0.0"
        if order == "relevance" and match.clauses:
            sort = "2 DESC, id DESC"
        elif order == "oldest":
            sort = "id"
        else:
            sort = "id DESC"
        sql = f"SELECT id, {score} FROM {ENTRY}{where} ORDER BY {sort} LIMIT %s OFFSET %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [Ranked(int(entry), float(value)) for entry, value in cursor.fetchall()]

    def max_id(self) -> int | None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT max(id) FROM {ENTRY}")  # noqa: S608
            value = cursor.fetchone()[0]
            return None if value is None else int(value)

    def taken(self, ids: Iterable[int]) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {ENTRY} WHERE id = ANY(%s)", [list(ids)])  # noqa: S608
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
            cursor.execute(f"DELETE FROM {ENTRY} WHERE key = ANY(%s)", [list(keys)])  # noqa: S608
            return int(cursor.rowcount)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {ENTRY}")

    def bulk_load(self, batches: Iterable[list[IndexedEntry]]) -> int:
        # Building a GIN index once is several times faster than updating it row by row.
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {TSV_INDEX}")
        count = self._copy(entry for batch in batches for entry in batch)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX {TSV_INDEX} ON {ENTRY} USING gin (tsv)")
            cursor.execute(f"ANALYZE {ENTRY}")
        return count
