"""Publishing, changing, archiving and closing records keeps the stored embeddings and the two
catalogues in step: the whole chain runs through the workflow, the signals and the jobs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.matching import index
from clearinghouse.matching.engine import Matcher
from clearinghouse.matching.index import Catalogue
from clearinghouse.matching.models import StoredEmbedding
from clearinghouse.matching.suggestions import needs_for, support_for
from clearinghouse.needs import services as needs_services
from clearinghouse.needs.formats import CURRENT_VERSION
from clearinghouse.needs.models import NeedStatus, Request
from clearinghouse.publishing import workflow
from clearinghouse.support import services as support_services
from clearinghouse.support.models import Offer, Opportunity
from clearinghouse.support.tests.factories import draft, terms

from .records import committed, publish_need, publish_support

pytestmark = pytest.mark.usefixtures("vocabularies")

REEF_OFFER = {
    "title": "Coral reef monitoring course",
    "description": "<p>Field training in <strong>reef survey</strong> methods for marine park rangers.</p>",
    "support_types": ["training"],
    "subjects": ["SUBJ-MARINE-COASTAL"],
    "gbf_targets": ["GBF-T3"],
    "eligibility": ["Africa"],
    "languages": ["en", "fr"],
}


def offer_values(**changes: Any) -> dict[str, Any]:
    values = REEF_OFFER | changes
    for name in ("support_types", "subjects", "gbf_targets"):
        values[name] = terms(*values[name])
    return values


def reef_need(capture: Any, world: World) -> Any:
    return publish_need(
        capture,
        owner=world.kenya,
        language="en",
        title="Training rangers in coral reef monitoring",
        description="Our marine park rangers need training in reef survey methods.",
        subjects=("SUBJ-MARINE-COASTAL",),
        targets=("GBF-T3",),
    )


def indexed_title(identifier: str) -> str | None:
    profile = index.matcher_for(Catalogue.SUPPORT).profile(identifier)
    return None if profile is None else profile.title


def stored(identifier: str) -> StoredEmbedding:
    return StoredEmbedding.objects.get(identifier=identifier)


def in_catalogue(identifier: str) -> bool:
    """A record taken out keeps an inactive row until the nightly rebuild (so that every
    host's cache learns of the removal)."""
    return StoredEmbedding.objects.filter(identifier=identifier, active=True).exists()


def test_publishing_an_offer_embeds_it_once_and_indexes_it(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    offer = publish_support(django_capture_on_commit_callbacks, Offer, world, offer_values())
    row = stored(offer.identifier)
    assert row.side == "support" and row.record_type == "OFFER"
    assert row.profile["description"] == "Field training in reef survey methods for marine park rangers."
    assert row.profile["countries_eligible"] == ["Africa"]
    assert row.profile["targets"] == ["GBF-T3"]
    assert len(row.array) == 384  # the hashing stand-in's dimension, as float32 bytes
    assert index.matcher_for(Catalogue.SUPPORT).profile(offer.identifier) is not None
    assert (index.catalogue_dir(Catalogue.SUPPORT) / "meta.json").exists()

    # Published again with the same text (a change of capacity only): not embedded again.
    first_embedded = row.embedded_at
    with committed(django_capture_on_commit_callbacks):
        support_services.save(
            offer, actor=world.authorised_user, cleaned={"capacity": 12}, base_revision=None
        )
        support_services.submit(offer, actor=world.authorised_user)
        workflow.publish(offer, actor=world.focal_point)
    assert stored(offer.identifier).embedded_at == first_embedded


def test_a_published_text_change_is_embedded_again_but_a_pending_one_is_not(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    offer = publish_support(django_capture_on_commit_callbacks, Offer, world, offer_values())
    before = stored(offer.identifier)
    with committed(django_capture_on_commit_callbacks):
        support_services.save(
            offer,
            actor=world.authorised_user,
            cleaned={"title": "Seagrass mapping course"},
            base_revision=None,
        )
    # Pending: the public row, and so the profile, still has the published title.
    assert indexed_title(offer.identifier) == "Coral reef monitoring course"
    with committed(django_capture_on_commit_callbacks):
        support_services.submit(offer, actor=world.authorised_user)
        workflow.publish(offer, actor=world.focal_point)
    after = stored(offer.identifier)
    assert after.embedded_at > before.embedded_at
    assert after.text_digest != before.text_digest
    assert indexed_title(offer.identifier) == "Seagrass mapping course"


def test_archiving_an_offer_takes_it_out(world: World, django_capture_on_commit_callbacks: Any) -> None:
    need = reef_need(django_capture_on_commit_callbacks, world)
    offer = publish_support(django_capture_on_commit_callbacks, Offer, world, offer_values())
    assert [s.record for s in support_for(need)] == [offer]
    with committed(django_capture_on_commit_callbacks):
        workflow.archive(offer, actor=world.focal_point)
    assert not in_catalogue(offer.identifier)
    assert index.matcher_for(Catalogue.SUPPORT).profile(offer.identifier) is None
    assert support_for(need) == []


def test_a_closed_opportunity_drops_out_at_once_and_from_the_index_at_night(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    need = reef_need(django_capture_on_commit_callbacks, world)
    values = offer_values(kind="training_place", deadline=timezone.localdate() + timedelta(days=3))
    for name in ("languages",):
        values.pop(name)
    opportunity = publish_support(django_capture_on_commit_callbacks, Opportunity, world, values)
    assert [s.record for s in support_for(need)] == [opportunity]
    closed = support_services.close_past_deadlines(timezone.localdate() + timedelta(days=10))
    assert closed == [opportunity.identifier]
    # Closed by a bulk update (no signal): the suggestions leave it out at once ...
    assert support_for(need) == []
    # ... and the nightly rebuild drops it from the stored embeddings and the catalogue.
    index.rebuild()
    assert not StoredEmbedding.objects.filter(identifier=opportunity.identifier).exists()
    assert index.matcher_for(Catalogue.SUPPORT).profile(opportunity.identifier) is None


def test_an_offer_past_its_period_is_not_suggested(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    need = reef_need(django_capture_on_commit_callbacks, world)
    offer = publish_support(django_capture_on_commit_callbacks, Offer, world, offer_values())
    Offer.objects.filter(pk=offer.pk).update(period_end=timezone.localdate() - timedelta(days=1))
    assert support_for(need) == []


def test_an_addressed_need_drops_out_of_reverse_matching(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    need = reef_need(django_capture_on_commit_callbacks, world)
    offer = publish_support(django_capture_on_commit_callbacks, Offer, world, offer_values())
    assert [s.record for s in needs_for(offer)] == [need]
    with committed(django_capture_on_commit_callbacks):
        needs_services.change_status(need, actor=world.focal_point, status=NeedStatus.ADDRESSED)
    assert not in_catalogue(need.identifier)
    assert index.matcher_for(Catalogue.NEEDS).profile(need.identifier) is None
    assert needs_for(offer) == []


def test_a_request_follows_the_terms_of_its_needs_when_they_are_published_again(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    need = reef_need(django_capture_on_commit_callbacks, world)
    with committed(django_capture_on_commit_callbacks):
        request = workflow.create(
            Request,
            actor=None,
            owner=world.kenya,
            values={
                "original_language": "en",
                "format_version": CURRENT_VERSION,
                "needs": [need],
                "title": {"en": "Reef survey training for rangers"},
                "asked": {"en": "A two-week field course in reef survey methods."},
                "deliverables": {"en": "Twenty rangers trained; a survey protocol."},
                "modalities": ["training"],
            },
        )
        workflow.submit(request, actor=None)
        workflow.publish(request, actor=None)
    assert stored(request.identifier).profile["subjects"] == ["SUBJ-MARINE-COASTAL"]
    with committed(django_capture_on_commit_callbacks):
        workflow.save_draft(
            need, actor=None, values={"subjects": terms("SUBJ-INLAND-WATERS")}, base_revision=None
        )
        # Saved, not yet published: the request keeps the published terms.
        assert stored(request.identifier).profile["subjects"] == ["SUBJ-MARINE-COASTAL"]
        workflow.submit(need, actor=None)
        workflow.publish(need, actor=None)
    assert stored(request.identifier).profile["subjects"] == ["SUBJ-INLAND-WATERS"]


def test_drafts_are_never_suggested_either_way(world: World, django_capture_on_commit_callbacks: Any) -> None:
    need = reef_need(django_capture_on_commit_callbacks, world)
    offer = draft(Offer, world, offer_values())
    assert support_for(need) == []
    assert not StoredEmbedding.objects.filter(identifier=offer.identifier).exists()
    # A draft can be asked about (the console may preview it), but only published needs come back.
    assert [s.record for s in needs_for(offer)] == [need]


def test_a_web_process_loads_the_cache_again_once_the_worker_brought_it_up_to_date(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    first = publish_support(django_capture_on_commit_callbacks, Offer, world, offer_values())
    web = index.matcher_for(Catalogue.SUPPORT)
    assert index.matcher_for(Catalogue.SUPPORT) is web  # same version: not loaded again
    # The worker stores another record and brings this host's cache up to date.
    second = draft(Offer, world, offer_values(title="Reef restoration course"))
    Offer.objects.filter(pk=second.pk).update(live=True)
    index.refresh([second.identifier])
    reloaded = index.matcher_for(Catalogue.SUPPORT)
    assert reloaded is not web
    assert reloaded.profile(second.identifier) is not None and reloaded.profile(first.identifier) is not None
    assert web.profile(second.identifier) is None


def test_a_cache_saved_by_another_model_is_not_used_the_stored_vectors_are_searched(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    need = reef_need(django_capture_on_commit_callbacks, world)
    offer = publish_support(django_capture_on_commit_callbacks, Offer, world, offer_values())
    index.forget()
    monkeypatch.setattr(Matcher, "load", lambda *args, **kwargs: pytest.fail("not a cache of this model"))
    stamp = index.catalogue_dir(Catalogue.SUPPORT) / "stamp.json"
    stamp.write_text(stamp.read_text().replace("hashing-384", "another-model"))
    assert [s.record for s in support_for(need)] == [offer]
