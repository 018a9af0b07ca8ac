"""The matching settings, with their defaults: read from Django's settings when it has them.

- ``MATCHING_EMBEDDER``: dotted path of the Embedder class (or factory) to use.
- ``MATCHING_EXACT_LIMIT``: above this many offers the vector index is approximate (HNSW).
- ``MATCHING_INDEX_DIR``: where the index is kept, beside the database (under VAR_DIR).
- ``MATCHING_POOL``: how many offers the vector search hands to the re-ranking.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

DEFAULT_EMBEDDER = "clearinghouse.matching.embedders.UniversalSentenceEncoderEmbedder"
DEFAULT_EXACT_LIMIT = 100_000
DEFAULT_POOL = 200


def embedder_path() -> str:
    return str(getattr(settings, "MATCHING_EMBEDDER", DEFAULT_EMBEDDER))


def exact_limit() -> int:
    return int(getattr(settings, "MATCHING_EXACT_LIMIT", DEFAULT_EXACT_LIMIT))


def pool_size() -> int:
    return int(getattr(settings, "MATCHING_POOL", DEFAULT_POOL))


def index_dir() -> Path:
    configured = getattr(settings, "MATCHING_INDEX_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "matching"
