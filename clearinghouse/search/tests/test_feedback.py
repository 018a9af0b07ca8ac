"""Pseudo-relevance feedback: the best fused records are fed back to a retriever that can start
from records, and what it finds near them joins the answer, filtered like every other hit."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from clearinghouse.search import hybrid, semantic, service
from clearinghouse.search.documents import SearchQuery
from clearinghouse.search.semantic import SemanticHit
from clearinghouse.search.tests.factories import document

pytestmark = pytest.mark.django_db


class Feeding:
    """Answers ``nearest`` with ``hits`` and ``around`` with ``near``; remembers the keys fed back."""

    def __init__(self, hits: Sequence[str], near: Sequence[str]) -> None:
        self.hits = [SemanticHit(key, 0.8) for key in hits]
        self.near = [SemanticHit(key, 0.7) for key in near]
        self.fed: list[list[str]] = []

    def nearest(self, text: str, language: str, limit: int) -> list[SemanticHit]:
        return self.hits[:limit]

    def around(
        self, keys: Sequence[str], limit: int, text: str = "", language: str = ""
    ) -> list[SemanticHit]:
        self.fed.append(list(keys))
        return self.near[:limit]


@pytest.fixture
def records() -> None:
    service.index(
        [
            document("REEF-1", title="Coral reef monitoring", text="Coral survey methods.", party=["FJ"]),
            document("REEF-2", title="Coral nurseries", text="Growing coral.", party=["FJ"]),
            document("REEF-3", title="Coral bleaching alerts and reef survey", text="Alerts.", party=["FJ"]),
            document(
                "NEAR-FR", title="Suivi des récifs", text="Observer les récifs.", language="fr", party=["KE"]
            ),
            document("NEAR-ZH", title="珊瑚礁监测", text="珊瑚礁调查。", language="zh", party=["FJ"]),
            document("OTHER", title="Budget lines", text="Accounting.", party=["KE"]),
        ]
    )


def use(monkeypatch: pytest.MonkeyPatch, retriever: object, feedback: int = 2) -> None:
    monkeypatch.setattr(semantic, "get_retriever", lambda: retriever)
    monkeypatch.setattr(hybrid, "FUSION", hybrid.Fusion(feedback=feedback))


def test_the_best_fused_records_are_fed_back_and_what_is_near_them_joins(
    monkeypatch: pytest.MonkeyPatch, records: None
) -> None:
    feeding = Feeding(hits=["REEF-1"], near=["NEAR-FR", "NEAR-ZH"])
    use(monkeypatch, feeding, feedback=0)
    first = [hit.key for hit in service.search(SearchQuery(text="coral")).hits]
    assert first[0] == "REEF-1", "a match that is also the nearest leads the first fusion"
    use(monkeypatch, feeding, feedback=2)
    result = service.search(SearchQuery(text="coral"))
    assert feeding.fed == [first[:2]], "the first fusion's two best, once"
    assert {hit.key for hit in result.hits} == {"REEF-1", "REEF-2", "REEF-3", "NEAR-FR", "NEAR-ZH"}
    assert result.total == 5, "the records found near the best count in the total"
    assert result.facets["party"] == {"FJ": 4, "KE": 1}
    assert {hit.key for hit in result.hits if hit.by_meaning} == {"NEAR-FR", "NEAR-ZH"}


def test_filters_apply_to_what_the_feedback_brings(monkeypatch: pytest.MonkeyPatch, records: None) -> None:
    use(monkeypatch, Feeding(hits=[], near=["NEAR-FR", "NEAR-ZH", "OTHER"]))
    fiji = service.search(SearchQuery(text="coral", filters={"party": ["FJ"]}))
    assert sorted(hit.key for hit in fiji.hits) == ["NEAR-ZH", "REEF-1", "REEF-2", "REEF-3"]
    assert fiji.total == 4


def test_a_weak_feedback_hit_stays_out(monkeypatch: pytest.MonkeyPatch, records: None) -> None:
    feeding = Feeding(hits=[], near=["NEAR-FR"])
    feeding.near = [SemanticHit("NEAR-FR", 0.05)]
    use(monkeypatch, feeding)
    assert "NEAR-FR" not in {hit.key for hit in service.search(SearchQuery(text="coral")).hits}


def test_no_feedback_without_words_or_without_results(monkeypatch: pytest.MonkeyPatch, records: None) -> None:
    feeding = Feeding(hits=[], near=["NEAR-FR"])
    use(monkeypatch, feeding)
    assert service.search(SearchQuery(text="")).total == 6, "all records, as without meaning"
    assert service.search(SearchQuery(text="kelp")).total == 0
    assert feeding.fed == [], "nothing was found to feed back"


def test_without_feedback_configured_or_supported_the_first_fusion_stands(
    monkeypatch: pytest.MonkeyPatch, records: None
) -> None:
    feeding = Feeding(hits=["REEF-1"], near=["NEAR-FR"])
    use(monkeypatch, feeding, feedback=0)
    assert "NEAR-FR" not in {hit.key for hit in service.search(SearchQuery(text="coral")).hits}
    assert feeding.fed == []

    class NearestOnly:
        def nearest(self, text: str, language: str, limit: int) -> list[SemanticHit]:
            return [SemanticHit("NEAR-FR", 0.8)]

    use(monkeypatch, NearestOnly())
    assert service.search(SearchQuery(text="coral")).total == 4


def test_a_failing_feedback_leaves_the_first_answer(monkeypatch: pytest.MonkeyPatch, records: None) -> None:
    class Failing(Feeding):
        def around(
            self, keys: Sequence[str], limit: int, text: str = "", language: str = ""
        ) -> list[SemanticHit]:
            raise RuntimeError("the vectors are not there")

    use(monkeypatch, Failing(hits=["REEF-1"], near=[]))
    assert service.search(SearchQuery(text="coral")).total == 3
