"""The writer embeds the clauses of a need's or a support record's published text with the record
and stores them beside its vector, so that explaining a suggestion embeds nothing the writer has
seen: the explanation says exactly what one made by embedding its clauses there and then says.
Clauses of a text that changed since are embedded again, never read stale, and a record taken
out keeps none."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import numpy as np
import pytest

from clearinghouse.core.testing import World
from clearinghouse.matching import index
from clearinghouse.matching.embedders import default_embedder
from clearinghouse.matching.engine import Matcher, clause_texts, clauses_digest
from clearinghouse.matching.index import Catalogue
from clearinghouse.matching.models import StoredEmbedding
from clearinghouse.matching.sources import need_profile, profile_of
from clearinghouse.matching.suggestions import needs_for, support_for
from clearinghouse.needs.models import Need
from clearinghouse.publishing import workflow
from clearinghouse.support.models import Offer

from .records import committed, publish_need, publish_support
from .test_records_lifecycle import offer_values

pytestmark = pytest.mark.usefixtures("vocabularies")


@contextmanager
def embeddings() -> Iterator[list[str]]:
    """The texts the matcher embeds meanwhile, with its cache of clauses emptied first (as in a
    process that never explained these records)."""
    index.matcher_for(Catalogue.SUPPORT)._sentence_vectors.clear()
    index.matcher_for(Catalogue.NEEDS)._sentence_vectors.clear()
    texts: list[str] = []
    embed = Matcher.embed

    def embedding(self: Matcher, batch: Any) -> Any:
        texts.extend(batch)
        return embed(self, batch)

    with mock.patch.object(Matcher, "embed", embedding):
        yield texts


def reef_records(capture: Any, world: World) -> tuple[Need, Offer]:
    need = publish_need(
        capture,
        owner=world.kenya,
        language="en",
        title="Training rangers in coral reef monitoring",
        description=(
            "Our marine park rangers need field training in reef survey methods, "
            "and a protocol for monitoring coral bleaching every year."
        ),
        targets=("GBF-T3",),
    )
    offer = publish_support(capture, Offer, world, offer_values())
    return need, offer


def test_publishing_stores_the_vectors_of_the_clauses_an_explanation_compares(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    need, offer = reef_records(django_capture_on_commit_callbacks, world)
    model = default_embedder()
    for record in (need, offer):
        row = StoredEmbedding.objects.get(identifier=record.identifier)
        profile = profile_of(record)
        texts = clause_texts(profile)
        assert texts  # both texts have clauses to compare
        assert row.clauses_digest == clauses_digest(texts, model.name)
        stored = StoredEmbedding.clause_matrix(row.clause_vectors, model.dimension)
        # The same vectors as embedding the clauses now: one per clause, in order.
        assert np.allclose(stored, index.embed_texts(model, texts), atol=1e-6)


def test_a_published_pair_is_explained_without_embedding_and_says_the_same(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    need, offer = reef_records(django_capture_on_commit_callbacks, world)
    matcher = index.matcher_for(Catalogue.SUPPORT)
    entry = matcher.profile(offer.identifier)
    assert entry is not None
    with embeddings() as embedded:
        expected = matcher.explain(need_profile(need), entry, semantic_passages=True)
    assert embedded  # made from nothing, the clauses are embedded ...
    assert any(passage.reason == "similar meaning" for passage in expected.passages)
    with embeddings() as embedded:
        [suggested] = support_for(need)
    assert embedded == []  # ... read from the rows, nothing is
    assert suggested.explanation == expected
    # The other direction (needs an offer could serve) reads the same rows.
    with embeddings() as embedded:
        [found] = needs_for(offer)
    assert embedded == []
    assert found.explanation.passages == expected.passages


def test_clauses_made_from_another_text_are_not_read(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    need, offer = reef_records(django_capture_on_commit_callbacks, world)
    with embeddings():
        [expected] = support_for(need)
    # As if the clauses had been cut differently when they were stored: made again, not read.
    StoredEmbedding.objects.filter(identifier=offer.identifier).update(clauses_digest="0" * 64)
    with embeddings() as embedded:
        [suggested] = support_for(need)
    assert set(embedded) == set(clause_texts(profile_of(offer)))
    assert suggested.explanation == expected.explanation


def test_rows_without_clause_vectors_get_them_at_the_next_rebuild_without_embedding_the_record_again(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    reef_records(django_capture_on_commit_callbacks, world)
    before = {row.identifier: row for row in StoredEmbedding.objects.all()}
    # Rows stored before clause vectors were.
    StoredEmbedding.objects.update(clause_vectors=b"", clauses_digest="")
    index.rebuild()
    for row in StoredEmbedding.objects.all():
        assert row.clauses_digest == before[row.identifier].clauses_digest
        assert bytes(row.clause_vectors) == bytes(before[row.identifier].clause_vectors)
        assert row.embedded_at == before[row.identifier].embedded_at  # the vector was kept


def test_a_record_taken_out_keeps_no_clause_vectors(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _, offer = reef_records(django_capture_on_commit_callbacks, world)
    with committed(django_capture_on_commit_callbacks):
        workflow.archive(offer, actor=world.focal_point)
    row = StoredEmbedding.objects.get(identifier=offer.identifier)
    assert not row.active
    assert bytes(row.clause_vectors) == b"" and row.clauses_digest == ""
