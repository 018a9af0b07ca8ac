"""Explanations of suggestions are made once per pair of published revisions and stored: the
worker makes them ahead of the pages (a case opened, a record published again, support published
for open cases), the console makes what nothing stored yet, and the console and the case page
show them again without embedding anything; a withdrawn record loses its own, and an expert's
biography never reaches one without the expert's consent."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from django.test import Client

from clearinghouse.matching import index
from clearinghouse.matching.engine import Matcher
from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.models import StoredExplanation
from clearinghouse.matchmaking.tests.conftest import Scene, publish_request, publish_support
from clearinghouse.publishing import workflow
from clearinghouse.support.models import Expert
from clearinghouse.support.tests.factories import terms

BIOGRAPHY = "Mwangi trained border inspectors to identify invasive plants for twenty years."


@contextmanager
def counted() -> Iterator[dict[str, int]]:
    """How many explanations are made and how many times the model embeds, meanwhile."""
    calls = {"explain": 0, "embed": 0}
    explain, embed = Matcher.explain, Matcher.embed

    def explaining(self: Matcher, *args: Any, **kwargs: Any) -> Any:
        calls["explain"] += 1
        return explain(self, *args, **kwargs)

    def embedding(self: Matcher, *args: Any, **kwargs: Any) -> Any:
        calls["embed"] += 1
        return embed(self, *args, **kwargs)

    with mock.patch.object(Matcher, "explain", explaining), mock.patch.object(Matcher, "embed", embedding):
        yield calls


def console(client: Client) -> str:
    response = client.get("/en/matchmaking/")
    assert response.status_code == 200
    return response.content.decode()


def republish(record: Any, scene: Scene, **values: Any) -> None:
    with scene.commit(execute=True):
        workflow.save_draft(record, actor=None, values=values, base_revision=None)
        workflow.submit(record, actor=None)
        workflow.publish(record, actor=None)


def test_the_second_console_shows_stored_explanations_without_embedding(scene: Scene, client: Client) -> None:
    # Opened without its commit running: nothing was explained ahead, the console makes it.
    services.open_case(scene.need, actor=scene.world.helpdesk_agent)
    client.force_login(scene.world.helpdesk_agent)
    with counted() as first:
        assert "Shares GBF targets: Reduce the introduction of invasive alien species" in console(client)
    assert first["explain"] == 1
    stored = StoredExplanation.objects.get()
    assert (stored.need_identifier, stored.need_revision) == (
        scene.need.identifier,
        scene.need.live_revision_number,
    )
    assert (stored.support_identifier, stored.support_revision) == (
        scene.offer.identifier,
        scene.offer.live_revision_number,
    )
    with counted() as second:
        # The one-line reason comes from the stored explanation.
        assert "Shares GBF targets: Reduce the introduction of invasive alien species" in console(client)
    assert second == {"explain": 0, "embed": 0}


def test_the_case_page_reads_the_explanations_the_console_stored(scene: Scene, client: Client) -> None:
    case = services.open_case(scene.need, actor=scene.world.helpdesk_agent)
    client.force_login(scene.world.helpdesk_agent)
    console(client)
    with counted() as calls:
        page = client.get(case.get_absolute_url()).content.decode()
    assert calls == {"explain": 0, "embed": 0}
    assert "Matched in the support" in page  # the full explanation, passages and all


def test_a_record_published_again_is_explained_again_before_the_console_asks(
    scene: Scene, client: Client
) -> None:
    services.open_case(scene.need, actor=scene.world.helpdesk_agent)
    client.force_login(scene.world.helpdesk_agent)
    console(client)
    republish(scene.offer, scene, title={"en": "Training of trainers on identifying invasive plants"})
    scene.offer.refresh_from_db()
    # The worker replaced the explanation of the revision published over with one of the new
    # revision (the support catalogue changed and the case is open), before any page asked.
    stored = StoredExplanation.objects.get()
    assert stored.support_revision == scene.offer.live_revision_number
    assert "identifying invasive plants" in str(stored.explanation)
    with counted() as calls:
        console(client)
    assert calls == {"explain": 0, "embed": 0}


def test_opening_a_case_explains_its_suggestions_before_the_console_asks(
    scene: Scene, client: Client
) -> None:
    with scene.commit(execute=True):
        services.open_case(scene.need, actor=scene.world.helpdesk_agent)
    assert StoredExplanation.objects.get().support_identifier == scene.offer.identifier
    client.force_login(scene.world.helpdesk_agent)
    with counted() as calls:
        assert "Shares GBF targets: Reduce the introduction of invasive alien species" in console(client)
    assert calls == {"explain": 0, "embed": 0}


def test_support_published_later_is_explained_for_open_cases_before_the_console_asks(
    scene: Scene, client: Client
) -> None:
    with scene.commit(execute=True):
        services.open_case(scene.need, actor=scene.world.helpdesk_agent)
    later = publish_support(
        scene.world,
        scene.commit,
        title="Invasive plant identification for customs officers",
        gbf_targets=terms("GBF-T6"),
    )
    # The new offer ranks among the open case's suggestions: its explanation is made by the
    # worker that indexed it, not by the next page.
    assert StoredExplanation.objects.filter(
        need_identifier=scene.need.identifier, support_identifier=later.identifier
    ).exists()
    client.force_login(scene.world.helpdesk_agent)
    with counted() as calls:
        assert later.identifier in console(client)
    assert calls == {"explain": 0, "embed": 0}


def test_a_withdrawn_record_loses_its_explanations(scene: Scene, client: Client) -> None:
    services.open_case(scene.need, actor=scene.world.helpdesk_agent)
    client.force_login(scene.world.helpdesk_agent)
    console(client)
    assert StoredExplanation.objects.exists()
    with scene.commit(execute=True):
        workflow.archive(scene.offer, actor=None)
    assert not StoredExplanation.objects.exists()
    assert scene.offer.identifier not in console(client)


def test_an_expert_biography_is_stored_only_while_the_expert_consents(scene: Scene, client: Client) -> None:
    expert = publish_support(
        scene.world,
        scene.commit,
        Expert,
        title="Invasive species identification trainer",
        biography=f"<p>{BIOGRAPHY}</p>",
        subjects=scene.offer.subjects.all(),
        consent_to_publish=True,
    )
    case = services.open_case(scene.need, actor=scene.world.helpdesk_agent)
    client.force_login(scene.world.helpdesk_agent)
    client.get(case.get_absolute_url())
    consented = StoredExplanation.objects.get(support_identifier=expert.identifier)
    assert "border inspectors" in str(consented.explanation)
    republish(expert, scene, consent_to_publish=False)
    expert.refresh_from_db()
    # The explanation of the consenting revision is gone; only the new revision's is kept.
    revisions = StoredExplanation.objects.filter(support_identifier=expert.identifier)
    assert set(revisions.values_list("support_revision", flat=True)) <= {expert.live_revision_number}
    page = client.get(case.get_absolute_url()).content.decode()
    assert expert.identifier in page
    stored = str(StoredExplanation.objects.get(support_identifier=expert.identifier).explanation)
    for personal in ("twenty years", "Mwangi", "Otieno", "otieno@example.org"):
        assert personal not in stored
        assert personal not in page


def test_a_request_is_explained_again_when_its_needs_change(scene: Scene, client: Client) -> None:
    # A request is matched on its needs' targets: its own revision stays, what it is matched on
    # does not.
    request = publish_request(scene.world, scene.commit, [scene.need])
    client.force_login(scene.world.helpdesk_agent)
    console(client)
    before = StoredExplanation.objects.get(need_identifier=request.identifier)
    assert "GBF-T6" in str(before.explanation)
    republish(scene.need, scene, gbf_targets=terms("GBF-T3"))
    # The worker that refreshed the request (it reads its needs' terms) explained it again.
    after = StoredExplanation.objects.get(need_identifier=request.identifier)
    assert after.need_revision == before.need_revision
    assert after.digest != before.digest
    assert "GBF-T6" not in str(after.explanation)
    with counted() as calls:
        console(client)
    assert calls == {"explain": 0, "embed": 0}


def test_the_nightly_rebuild_explains_the_open_cases_again(scene: Scene) -> None:
    with scene.commit(execute=True):
        services.open_case(scene.need, actor=scene.world.helpdesk_agent)
    StoredExplanation.objects.all().delete()
    # The rebuild estimates the language means again: every score moves, every open case's
    # suggestions are explained again from what it finds.
    index.rebuild()
    assert StoredExplanation.objects.get().support_identifier == scene.offer.identifier
