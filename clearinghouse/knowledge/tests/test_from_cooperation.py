"""One step from a completed cooperation: a side of it presses "Write a case study from this
outcome" on the cooperation's page and gets a draft case study owned by its Party or
organisation, made of the outcome's results and lessons (in the outcome's language), linked to
the cooperation, with the need's subjects and targets and both sides' Parties. Pressed twice,
the same draft opens. Refused before completion, without an outcome report, and to anyone who
is not a side."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.knowledge import services
from clearinghouse.knowledge.models import Kind, Knowledge
from clearinghouse.matchmaking import services as matchmaking
from clearinghouse.matchmaking.models import Cooperation, Match
from clearinghouse.matchmaking.tests.conftest import publish_need, publish_support
from clearinghouse.matchmaking.tests.steps import in_progress
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import State

pytestmark = pytest.mark.usefixtures("vocabularies")

RESULTS = "Veinticinco inspectores formados; una guía de campo impresa."
LESSONS = "Imprimir la guía en el idioma de los inspectores."


def _under_way(world: World, commit: Any) -> Match:
    return in_progress(world, publish_need(world, commit), publish_support(world, commit))


def _cooperation(match: Match) -> Cooperation:
    return Cooperation.objects.select_related("match").get(match=match)


@pytest.fixture
def completed(world: World, django_capture_on_commit_callbacks: Any) -> Cooperation:
    """Kenya's need met by Nature Kenya's offer; the outcome reported in Spanish by Kenya."""
    match = _under_way(world, django_capture_on_commit_callbacks)
    matchmaking.complete(
        match, actor=world.authorised_user, results=RESULTS, lessons=LESSONS, language="es", satisfaction=5
    )
    return _cooperation(match)


def test_the_requester_side_gets_a_draft_case_study_from_the_outcome(
    world: World, completed: Cooperation
) -> None:
    product, made = services.write_from_outcome(completed, actor=world.focal_point)
    assert made and product.kind == Kind.CASE_STUDY and product.state == State.DRAFT and not product.live
    # Owned by the side the person acts for: Kenya, the requester.
    assert product.owner == world.kenya and product.created_by == world.focal_point
    assert product.original_language == "es"
    assert product.results == {"es": RESULTS} and product.advice == {"es": LESSONS}
    assert product.actions == {"en": completed.description}
    assert product.title["es"].endswith(": Customs officers able to identify invasive alien species")
    assert product.cooperation == completed
    # The need's subjects and targets, and the Parties of both sides.
    assert set(product.subjects.values_list("code", flat=True)) == {"SUBJ-INVASIVE-ALIEN-SPECIES"}
    assert set(product.gbf_targets.values_list("code", flat=True)) == {"GBF-T6"}
    assert set(product.countries.values_list("code", flat=True)) == {"KE"}


def test_the_provider_side_gets_its_own_draft_owned_by_its_organisation(
    world: World, completed: Cooperation
) -> None:
    requester, _made = services.write_from_outcome(completed, actor=world.focal_point)
    provider, made = services.write_from_outcome(completed, actor=world.partner_editor)
    assert made and provider.owner == world.kenyan_ngo and provider != requester


def test_pressing_twice_opens_the_same_draft(world: World, completed: Cooperation) -> None:
    first, _made = services.write_from_outcome(completed, actor=world.focal_point)
    # Another person of the same side finds the draft too.
    again, made = services.write_from_outcome(completed, actor=world.authorised_user)
    assert not made and again == first
    assert Knowledge.objects.filter(cooperation=completed).count() == 1


def test_a_cooperation_not_yet_completed_is_refused(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    cooperation = _cooperation(_under_way(world, django_capture_on_commit_callbacks))
    with pytest.raises(ValidationError) as refused:
        services.write_from_outcome(cooperation, actor=world.focal_point)
    assert refused.value.code == "not_completed"
    assert not Knowledge.objects.exists()


def test_a_completed_cooperation_without_an_outcome_report_is_refused(
    world: World, completed: Cooperation
) -> None:
    # An outcome report taken away (the data kept by an import without one): nothing to write from.
    completed.match.outcome.delete()
    with pytest.raises(ValidationError) as refused:
        services.write_from_outcome(completed, actor=world.focal_point)
    assert refused.value.code == "no_outcome"
    assert not Knowledge.objects.exists()


@pytest.mark.parametrize("person", ["other_focal_point", "outsider", "helpdesk_agent", "secretariat"])
def test_someone_who_is_not_a_side_is_refused(world: World, completed: Cooperation, person: str) -> None:
    with pytest.raises(PermissionDenied):
        services.write_from_outcome(completed, actor=getattr(world, person))
    assert not Knowledge.objects.exists()


def test_the_cooperation_page_offers_the_step_to_a_side_and_opens_the_draft(
    world: World, completed: Cooperation, client: Client
) -> None:
    page = f"/en/matchmaking/matches/{completed.match_id}/cooperation/"
    client.force_login(world.focal_point)
    assert "Write a case study from this outcome" in client.get(page).content.decode()
    response = client.post(f"/en/knowledge/from-cooperation/{completed.match_id}/")
    product = Knowledge.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/knowledge/{product.identifier}/edit/"
    edit = client.get(response["Location"]).content.decode()
    assert RESULTS in edit
    # Twice: the same draft, and the page now offers to continue it.
    again = client.post(f"/en/knowledge/from-cooperation/{completed.match_id}/")
    assert again["Location"] == response["Location"] and Knowledge.objects.count() == 1
    assert "Continue it" in client.get(page).content.decode()


def test_the_help_desk_sees_the_cooperation_but_is_offered_no_step(
    world: World, completed: Cooperation, client: Client
) -> None:
    client.force_login(world.helpdesk_agent)
    page = client.get(f"/en/matchmaking/matches/{completed.match_id}/cooperation/")
    assert page.status_code == 200 and "Write a case study from this outcome" not in page.content.decode()
    refused = client.post(f"/en/knowledge/from-cooperation/{completed.match_id}/")
    assert refused.status_code == 403 and not Knowledge.objects.exists()


def test_a_refusal_on_the_page_is_told_in_the_readers_language(
    world: World, django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    cooperation = _cooperation(_under_way(world, django_capture_on_commit_callbacks))
    client.force_login(world.focal_point)
    response = client.post(f"/fr/knowledge/from-cooperation/{cooperation.match_id}/", follow=True)
    assert "Seule une coopération terminée peut devenir une étude de cas." in response.content.decode()
    assert not Knowledge.objects.exists()


def test_once_the_case_study_is_published_the_side_is_sent_to_it_not_to_a_second_draft(
    world: World, completed: Cooperation, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    product, _made = services.write_from_outcome(completed, actor=world.authorised_user)
    workflow.save_draft(
        product,
        actor=world.authorised_user,
        values={"summary": {"es": "Inspectores formados."}},
        base_revision=None,
    )
    workflow.submit(product, actor=world.authorised_user)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(product, actor=world.focal_point)
    client.force_login(world.focal_point)
    page = client.get(f"/en/matchmaking/matches/{completed.match_id}/cooperation/").content.decode()
    # Listed for the readers of the cooperation, and no button for a second one.
    assert product.get_absolute_url() in page and "Write a case study from this outcome" not in page
    response = client.post(f"/en/knowledge/from-cooperation/{completed.match_id}/")
    assert response["Location"] == f"/en/knowledge/{product.identifier}/"
    assert Knowledge.objects.count() == 1
