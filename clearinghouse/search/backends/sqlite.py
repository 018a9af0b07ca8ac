"""SQLite FTS5: the embedded default.

The FTS5 table ``search_fts`` (created by a migration on SQLite only) has three columns: title
terms, body terms and the index's own tokens; its rowid is the entry's id. Its tokenizer only
splits on spaces in practice, since the terms arrive ready-made.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection

from clearinghouse.search.backends.base import Backend, Match, Order, Ranked, Syntax
from clearinghouse.search.entries import IndexedEntry

ENTRY = "search_searchentry"
FTS = "search_fts"
# The matches with their facet values: the index of ids and facet values (migration 0005)
# answers without reading the table.
MATCHED_FACETS = f"{FTS} JOIN {ENTRY} e INDEXED BY search_entry_facets ON e.id = {FTS}.rowid"
# bm25 weights of the columns: a word in a title counts four times one in the body; the
# index's own tokens not at all.
BM25 = f"bm25({FTS}, 4.0, 1.0, 0.0)"
MMAP_SIZE = 8 << 30


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


SYNTAX = Syntax(phrase=lambda sequence: " + ".join(map(_quote, sequence)), both=" AND ", either=" OR ")


def _terms(column: str) -> list[str]:
    return column.split(" ") if column else []


def fts_expression(match: Match) -> str:
    """The FTS5 query: every term quoted, so nothing typed is read as an operator; a name that
    several words hold spelt once (``Match.factored``)."""
    return SYNTAX.both.join(SYNTAX.words(match) + SYNTAX.tokens(match))


class SQLiteBackend(Backend):
    vendor = "sqlite"
    # FTS5's bm25 first counts the records of every word of the query (its IDF), then costs
    # a few µs a row: fine for 2,000 rows.
    rank_window = 2000

    @contextmanager
    def session(self) -> Iterator[None]:
        with connection.cursor() as cursor:
            # Read the index through the operating system's page cache: connections are opened
            # for each request, so SQLite's own small page cache starts cold every time.
            cursor.execute(f"PRAGMA mmap_size = {MMAP_SIZE}")
        yield

    def _where(self, match: Match, id_column: str) -> tuple[str, list[Any]]:
        conditions: list[str] = []
        params: list[Any] = []
        if not match.matches_everything:
            conditions.append(f"{FTS} MATCH %s")
            params.append(fts_expression(match))
        # FTS5 skips to a lower bound in its doclists: the relevance window's is one more.
        low = max((bound for bound in (match.id_min, match.window_from) if bound is not None), default=None)
        if low is not None:
            conditions.append(f"{id_column} >= %s")
            params.append(low)
        if match.id_max is not None:
            conditions.append(f"{id_column} <= %s")
            params.append(match.id_max)
        return (" WHERE " + " AND ".join(conditions)) if conditions else "", params

    def _source(self, match: Match) -> tuple[str, str]:
        return (FTS, "rowid") if not match.matches_everything else (ENTRY, "id")

    def count(self, match: Match) -> int:
        table, id_column = self._source(match)
        where, params = self._where(match, id_column)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}{where}", params)  # noqa: S608  # nosec B608  # constant SQL; values are parameters
            return int(cursor.fetchone()[0])

    def _rows_sql(self, match: Match, limit: int | None, score: str | None) -> tuple[str, list[Any]]:
        columns = "e.id, e.facet_values" + (f", {score}" if score else "")
        if match.matches_everything:
            where, params = self._where(match, "e.id")
            sql = f"SELECT {columns} FROM {ENTRY} e{where}"  # noqa: S608  # nosec B608  # constant SQL; values are parameters
        else:
            where, params = self._where(match, f"{FTS}.rowid")
            sql = f"SELECT {columns} FROM {MATCHED_FACETS}{where}"  # noqa: S608  # nosec B608  # constant SQL; values are parameters
        if limit is not None:
            sql += " LIMIT %s"
            params.append(limit)
        return sql, params

    def rows(self, match: Match, limit: int | None) -> list[tuple[int, str]]:
        sql, params = self._rows_sql(match, limit, None)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(int(entry), str(values)) for entry, values in cursor.fetchall()]

    def scored_rows(self, match: Match, limit: int | None) -> list[tuple[int, str, float]] | None:
        # bm25 of a row depends only on the row and on the phrases of the words: the filters'
        # and the window's tokens are in the column weighted 0, so they add exactly nothing,
        # and a row scores here what ``ranked`` gives it. Scoring while reading the rows costs
        # one more FTS5 query's worth less than reading them, then ranking them in another.
        sql, params = self._rows_sql(match, limit, f"-{BM25}" if match.clauses else "0.0")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(int(entry), str(values), float(score)) for entry, values, score in cursor.fetchall()]

    def ranked(
        self, match: Match, order: Order, limit: int, offset: int, candidates: Sequence[int] | None = None
    ) -> list[Ranked]:
        # bm25 needs the MATCH: candidates are not used.
        table, id_column = self._source(match)
        where, params = self._where(match, id_column)
        score = f"-{BM25}" if match.clauses else "0.0"
        if order == "relevance" and match.clauses:
            sort = f"{BM25}, {id_column} DESC"
        elif order == "oldest":
            sort = f"{id_column}"
        else:
            sort = f"{id_column} DESC"
        sql = f"SELECT {id_column}, {score} FROM {table}{where} ORDER BY {sort} LIMIT %s OFFSET %s"  # noqa: S608  # nosec B608  # constant SQL; values are parameters
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [Ranked(int(entry), float(value)) for entry, value in cursor.fetchall()]

    def indexed_terms(self, ids: Sequence[int]) -> dict[int, list[list[str]]] | None:
        # FTS5 keeps the columns as they were inserted: the terms joined by spaces.
        found: dict[int, list[list[str]]] = {}
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                chunk = list(ids[start : start + 500])
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"SELECT rowid, title, body FROM {FTS} WHERE rowid IN ({marks})", chunk)  # noqa: S608  # nosec B608  # constant SQL; values are parameters
                found.update(
                    (int(entry), [_terms(title), _terms(body)]) for entry, title, body in cursor.fetchall()
                )
        return found

    def max_id(self) -> int | None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT max(id) FROM {ENTRY}")  # noqa: S608  # nosec B608  # constant SQL; values are parameters
            value = cursor.fetchone()[0]
            return None if value is None else int(value)

    def taken(self, ids: Iterable[int]) -> set[int]:
        wanted = list(ids)
        found: set[int] = set()
        with connection.cursor() as cursor:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"SELECT id FROM {ENTRY} WHERE id IN ({marks})", chunk)  # noqa: S608  # nosec B608  # constant SQL; values are parameters
                found.update(int(row[0]) for row in cursor.fetchall())
        return found

    def taken_between(self, low: int, high: int) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {ENTRY} WHERE id >= %s AND id < %s", [low, high])  # noqa: S608  # nosec B608  # constant SQL; values are parameters
            return {int(row[0]) for row in cursor.fetchall()}

    def insert(self, entries: list[IndexedEntry]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {ENTRY} (id, key, record_type, language, titles, texts, facet_values, "  # noqa: S608  # nosec B608  # constant SQL; values are parameters
                "published_at, first_published_at, url) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        entry.id,
                        entry.key,
                        entry.document.record_type,
                        entry.document.language,
                        json.dumps(dict(entry.document.titles), ensure_ascii=False),
                        json.dumps(dict(entry.document.texts), ensure_ascii=False),
                        entry.facet_values,
                        connection.ops.adapt_datetimefield_value(entry.document.published_at),
                        connection.ops.adapt_datetimefield_value(entry.document.first_published),
                        entry.document.url,
                    )
                    for entry in entries
                ],
            )
            cursor.executemany(
                f"INSERT INTO {FTS} (rowid, title, body, meta) VALUES (%s, %s, %s, %s)",  # noqa: S608  # nosec B608  # constant SQL; values are parameters
                [
                    (
                        entry.id,
                        " ".join(entry.title_terms),
                        " ".join(entry.body_terms),
                        " ".join(entry.meta_tokens),
                    )
                    for entry in entries
                ],
            )

    def delete(self, keys: Iterable[str]) -> int:
        wanted = list(keys)
        removed = 0
        with connection.cursor() as cursor:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"DELETE FROM {FTS} WHERE rowid IN (SELECT id FROM {ENTRY} WHERE key IN ({marks}))",  # noqa: S608  # nosec B608  # constant SQL; values are parameters
                    chunk,
                )
                cursor.execute(f"DELETE FROM {ENTRY} WHERE key IN ({marks})", chunk)  # noqa: S608  # nosec B608  # constant SQL; values are parameters
                removed += cursor.rowcount
        return removed

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS}")  # noqa: S608  # nosec B608  # constant SQL; values are parameters
            cursor.execute(f"DELETE FROM {ENTRY}")  # noqa: S608  # nosec B608  # constant SQL; values are parameters

    def bulk_load(self, batches: Iterable[list[IndexedEntry]]) -> int:
        count = super().bulk_load(batches)
        with connection.cursor() as cursor:
            # Merge FTS5's segments into one b-tree: fewer seeks for every query after.
            cursor.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')")  # noqa: S608  # nosec B608  # constant SQL; values are parameters
        return count
