"""Records the matcher cannot read get a clear, translated answer; odd ones still get suggestions."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone, translation

from clearinghouse.core.testing import World
from clearinghouse.matching.engine import MatchingError
from clearinghouse.matching.models import StoredEmbedding
from clearinghouse.matching.sources import MAX_DESCRIPTION_CHARS
from clearinghouse.matching.suggestions import needs_for, support_for
from clearinghouse.needs.models import Need
from clearinghouse.support.models import Offer, Resource

from .records import publish_need, publish_support
from .test_records_lifecycle import offer_values, reef_need

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_a_need_with_no_text_gets_a_clear_message(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    need = reef_need(django_capture_on_commit_callbacks, world)
    # The row changed after the worker stored its profile: the row is what is read.
    Need.objects.filter(pk=need.pk).update(
        title={}, description={"en": "  "}, gap={}, outcome={}, updated_at=timezone.now()
    )
    need.refresh_from_db()
    with pytest.raises(MatchingError, match="no title or description in any language"):
        support_for(need)


def test_the_message_goes_through_the_active_language(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    need = reef_need(django_capture_on_commit_callbacks, world)
    Need.objects.filter(pk=need.pk).update(
        title={}, description={}, gap={}, outcome={}, updated_at=timezone.now()
    )
    need.refresh_from_db()
    # The catalogues are translated later; what matters here is that the message is looked up.
    looked_up: list[str] = []
    monkeypatch.setattr(
        "clearinghouse.matching.suggestions._",
        lambda message: looked_up.append(translation.get_language()) or message,
    )
    with translation.override("ar"), pytest.raises(MatchingError):
        support_for(need)
    assert looked_up == ["ar"]


def test_a_giant_text_is_cut_and_still_matched(world: World, django_capture_on_commit_callbacks: Any) -> None:
    offer = publish_support(django_capture_on_commit_callbacks, Offer, world, offer_values())
    giant = "Rangers need coral reef survey training. " * 50_000  # two million characters
    need = publish_need(
        django_capture_on_commit_callbacks,
        owner=world.kenya,
        language="en",
        title="Reef survey training",
        description=giant,
        targets=("GBF-T3",),
    )
    assert [s.record for s in support_for(need)] == [offer]
    stored = StoredEmbedding.objects.get(identifier=need.identifier).profile
    assert len(stored["description"]) <= MAX_DESCRIPTION_CHARS


def test_a_text_in_another_language_still_gets_an_answer(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    offer = publish_support(django_capture_on_commit_callbacks, Offer, world, offer_values())
    # Written in Portuguese though marked English: no stemmer fits, the offer is still ranked.
    need = publish_need(
        django_capture_on_commit_callbacks,
        owner=world.kenya,
        language="en",
        title="Formação em monitoramento de recifes de coral",
        description="Os guardas do parque marinho precisam de formação.",
        targets=("GBF-T3",),
    )
    assert [s.record for s in support_for(need)] == [offer]


def test_a_need_without_a_country_is_answered_by_offers_open_to_all(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    regional = publish_support(capture, Offer, world, offer_values(eligibility=["Africa"]))
    open_to_all = publish_support(
        capture, Offer, world, offer_values(title="Reef survey course", eligibility=[])
    )
    marked_global = publish_support(
        capture, Offer, world, offer_values(title="Reef course", eligibility=["global"])
    )
    need = publish_need(
        capture,
        owner=world.international,  # an international organisation: no country
        language="en",
        title="Training rangers in coral reef monitoring",
        description="Rangers need training in reef survey methods.",
        targets=("GBF-T3",),
    )
    suggested = [s.record for s in support_for(need)]
    assert set(suggested) == {open_to_all, marked_global}
    assert support_for(need)[0].explanation.eligibility_reason.country == ""
    # The other way round: only the offers open to all reach it.
    assert need not in [s.record for s in needs_for(regional)]
    assert need in [s.record for s in needs_for(open_to_all)]


def test_kinds_and_penalties_shape_the_list(world: World, django_capture_on_commit_callbacks: Any) -> None:
    capture = django_capture_on_commit_callbacks
    need = reef_need(capture, world)
    offer = publish_support(capture, Offer, world, offer_values())
    other = publish_support(capture, Offer, world, offer_values(title="Reef survey course for rangers"))
    guide = publish_support(
        capture,
        Resource,
        world,
        {"title": "Coral reef monitoring guide", "description": "Reef survey methods.", "kind": "guide"},
    )
    assert {s.record for s in support_for(need)} == {offer, other, guide}
    assert [s.record for s in support_for(need, kinds=[Resource])] == [guide]
    top = support_for(need, kinds=[Offer])[0].record
    penalised = support_for(need, kinds=[Offer], penalties={top.identifier: 6.0})
    assert penalised[-1].record == top  # still reachable, at the end
    assert len(support_for(need, limit=1)) == 1
