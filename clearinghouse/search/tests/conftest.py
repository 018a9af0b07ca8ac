"""Shared pieces of the search tests.

Most tests here are about the words: the engines, the text analysis, filters and facets. They
run without a retriever and without the concepts' labels, so that what they find is what the
words find; the tests of expansion and fusion ask for them (``labels``, ``glossary``, or a
stand-in retriever)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clearinghouse.search import expansion, semantic

_real_lexicon = expansion.lexicon


@pytest.fixture(autouse=True)
def _words_as_typed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(semantic, "get_retriever", lambda: None)
    monkeypatch.setattr(expansion, "lexicon", lambda: expansion.Lexicon(()))
    # Each test reads the labels from its own database: a rolled-back test sends no signal that
    # would tell the process's copy to forget them.
    expansion.forget()
    yield
    expansion.forget()


@pytest.fixture
def labels(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The vocabularies' labels and the countries' names expand queries (not the glossary)."""
    monkeypatch.setattr(expansion, "lexicon", _real_lexicon)
    monkeypatch.setattr(expansion, "GLOSSARY", tmp_path / "no-glossary.json")


@pytest.fixture
def glossary(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every label, the glossary's included, expands queries."""
    monkeypatch.setattr(expansion, "lexicon", _real_lexicon)
