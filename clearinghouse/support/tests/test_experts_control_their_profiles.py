"""An expert's name, e-mail and biography are public only with their consent, and the expert
may edit and submit their own profile whatever their role."""

from __future__ import annotations

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import State
from clearinghouse.support import services
from clearinghouse.support.models import Expert
from clearinghouse.support.tests.factories import published
from clearinghouse.support.tests.samples import sample

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_without_consent_personal_data_is_hidden_from_the_public(world: World, client: Client) -> None:
    expert = published(Expert, world, sample(Expert, world))
    page = client.get(expert.get_absolute_url()).content.decode()
    assert "Marine spatial planning specialist" in page
    for personal in ("Otieno Odhiambo", "otieno@example.org", "Twenty years at sea"):
        assert personal not in page
    item = client.get(f"/api/v1/experts/{expert.identifier}/").json()
    assert "name" not in item and "email" not in item and "biography" not in item
    assert item["title"] == {"en": "Marine spatial planning specialist"}

    # The owners still see it.
    client.force_login(world.authorised_user)
    assert "otieno@example.org" in client.get(expert.get_absolute_url()).content.decode()


def test_with_consent_personal_data_is_public(world: World, client: Client) -> None:
    expert = published(Expert, world, sample(Expert, world) | {"consent_to_publish": True})
    page = client.get(expert.get_absolute_url()).content.decode()
    assert "Otieno Odhiambo" in page and "otieno@example.org" in page
    assert client.get(f"/api/v1/experts/{expert.identifier}/").json()["email"] == "otieno@example.org"


def test_the_expert_edits_and_submits_their_own_profile_without_a_role(world: World, client: Client) -> None:
    expert = services.create(
        Expert,
        actor=world.authorised_user,
        owner=world.kenya,
        language="en",
        cleaned=sample(Expert, world),
        expert_user=world.learner,
    )
    client.force_login(world.learner)
    assert client.get(expert.get_absolute_url()).status_code == 200, "the expert sees their own draft"
    response = client.post(
        f"/en/support/edit/{expert.identifier}/",
        {
            "title": "Coral reef monitoring specialist",
            "name": "Mei Wang",
            "consent_to_publish": "on",
            "subjects": [term.pk for term in expert.subjects.all()],
            "action": "submit",
            "base_revision": expert.revision_number,
        },
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.state == State.SUBMITTED and expert.name == "Mei Wang" and expert.consent_to_publish
    latest = workflow.latest_revision(expert)
    assert latest is not None and latest.created_by == world.learner and latest.submitted_by == world.learner
    # Publishing stays with the reviewers.
    with pytest.raises(Exception, match="reviewers"):
        workflow.publish(expert, actor=world.learner)
    assert expert.identifier in client.get("/en/support/mine/").content.decode()


def test_someone_else_without_a_role_cannot_edit_the_profile(world: World, client: Client) -> None:
    expert = services.create(
        Expert,
        actor=world.authorised_user,
        owner=world.kenya,
        language="en",
        cleaned=sample(Expert, world),
        expert_user=world.learner,
    )
    client.force_login(world.outsider)
    assert client.get(f"/en/support/edit/{expert.identifier}/").status_code == 403
    assert client.get(expert.get_absolute_url()).status_code == 404


def test_a_provider_shows_its_contact_only_when_it_chose_to(world: World, client: Client) -> None:
    from clearinghouse.support.models import Provider

    hidden = published(Provider, world, sample(Provider, world))
    shown = published(Provider, world, sample(Provider, world) | {"title": "Open", "contact_public": True})
    assert "training@naturekenya.example" not in client.get(hidden.get_absolute_url()).content.decode()
    assert "training@naturekenya.example" in client.get(shown.get_absolute_url()).content.decode()
    assert "contact_email" not in client.get(f"/api/v1/providers/{hidden.identifier}/").json()
