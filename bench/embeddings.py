"""Stored embeddings written in bulk for the benchmarks: synthetic unit vectors in the rows the
retriever and the matcher read (``matching.StoredEmbedding``), and the catalogues' states with
their language means as a rebuild leaves them. No model is asked anything per record.

Runs in a child process where Django is set up."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import numpy as np

COLUMNS = (
    "identifier",
    "side",
    "record_type",
    "embedder",
    "text_digest",
    "vector",
    "profile",
    "embedded_at",
    "updated_at",
    "language",
    "filed_under",
    "active",
    "version",
    # The clauses an explanation compares: none here, as before the writer has made them (search
    # never reads them).
    "clause_vectors",
    "clauses_digest",
)


def unit_vectors(generator: np.random.Generator, count: int, dimension: int) -> Any:
    block = generator.standard_normal((count, dimension), dtype=np.float32)
    block /= np.linalg.norm(block, axis=1, keepdims=True)
    return block


class SyntheticEmbeddings:
    """Write ``(identifier, side, record_type, language, title)`` rows with a vector each, in
    batches, inside the caller's transaction; ``finish`` stores the catalogues' states."""

    def __init__(self) -> None:
        from django.db import connection
        from django.utils import timezone

        from clearinghouse.matching.centering import LanguageSums
        from clearinghouse.matching.embedders import default_embedder
        from clearinghouse.matching.models import StoredEmbedding

        self.model = default_embedder()
        table = connection.ops.quote_name(StoredEmbedding._meta.db_table)
        names = ", ".join(map(connection.ops.quote_name, COLUMNS))
        self.statement = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608  # nosec B608  # names quoted by the backend
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.sums = LanguageSums(self.model.dimension)
        self.sizes: Counter[str] = Counter()

    def write(self, rows: list[tuple[str, str, str, str, str]], vectors: Any) -> None:
        from django.db import connection

        from clearinghouse.matching.models import StoredEmbedding

        values = []
        for (identifier, side, record_type, language, title), vector in zip(rows, vectors, strict=True):
            profile: dict[str, Any] = {
                "id": identifier,
                "language": language,
                "title": title,
                "description": "",
                "support_types": [],
                "targets": [],
                "subjects": [],
                "languages": [],
            }
            extra: dict[str, Any] = (
                {"country": ""} if side == "need" else {"countries_eligible": [], "provider": ""}
            )
            profile |= extra
            values.append(
                (
                    identifier,
                    side,
                    record_type.upper()[:10],
                    self.model.name,
                    "-",
                    StoredEmbedding.to_bytes(vector),
                    json.dumps(profile, ensure_ascii=False),
                    self.now,
                    self.now,
                    language,
                    "",
                    True,
                    1,
                    b"",
                    "",
                )
            )
            self.sizes[side] += 1
        with connection.cursor() as cursor:
            cursor.executemany(self.statement, values)
        self.sums.add(vectors, [row[3] for row in rows])

    def finish(self) -> None:
        from clearinghouse.matching import index
        from clearinghouse.matching.engine import cached_language_offsets
        from clearinghouse.matching.models import CatalogueState
        from clearinghouse.matching.vocabulary import default_vocabularies

        means = self.sums.centering(cached_language_offsets(self.model, default_vocabularies())).to_bytes()
        for side, size in self.sizes.items():
            CatalogueState.objects.update_or_create(
                catalogue=index.CATALOGUE_OF[side],  # type: ignore[index]
                defaults={
                    "version": 1,
                    "means_version": 1,
                    "embedder": self.model.name,
                    "size": size,
                    "centering": means,
                },
            )
