"""Knowledge products go through the publishing workflow like every record: focal points,
authorised users, partner editors, IPLC representatives and the Secretariat write them for
their Party or organisation; a draft is complete only with a title, a summary and results; a
reviewer other than the submitter publishes; the public sees only what is published."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.knowledge import services
from clearinghouse.knowledge.models import Knowledge
from clearinghouse.knowledge.tests.conftest import product_values
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import State

pytestmark = pytest.mark.usefixtures("vocabularies")


@pytest.mark.parametrize(
    ("person", "owner"),
    [
        ("focal_point", "kenya"),
        ("authorised_user", "kenya"),
        ("partner_editor", "kenyan_ngo"),
        ("iplc_representative", "kenyan_iplc"),
        ("secretariat", "tanzania"),
    ],
)
def test_people_who_register_records_write_knowledge_products_for_their_owner(
    world: World, person: str, owner: str
) -> None:
    product = services.create(
        actor=getattr(world, person), owner=getattr(world, owner), values=product_values()
    )
    assert product.state == State.DRAFT and not product.live and product.revision_number == 1


@pytest.mark.parametrize("person", ["learner", "outsider", "trainer", "helpdesk_agent"])
def test_people_without_a_party_or_organisation_cannot_write_them(world: World, person: str) -> None:
    with pytest.raises(PermissionDenied):
        services.create(actor=getattr(world, person), owner=world.kenya, values=product_values())


def test_nobody_writes_for_another_partys_records(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.create(actor=world.other_focal_point, owner=world.kenya, values=product_values())


def test_a_draft_without_results_cannot_be_submitted(world: World) -> None:
    product = services.create(
        actor=world.authorised_user, owner=world.kenya, values=product_values(results={})
    )
    with pytest.raises(ValidationError) as refused:
        workflow.submit(product, actor=world.authorised_user)
    assert refused.value.messages == ["Say what the results were."]
    product.refresh_from_db()
    assert product.state == State.DRAFT


def test_a_reviewer_publishes_and_the_public_then_sees_it(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    product = services.create(actor=world.authorised_user, owner=world.kenya, values=product_values())
    page = f"/en/knowledge/{product.identifier}/"
    assert client.get(page).status_code == 404
    assert product.identifier not in client.get("/en/knowledge/").content.decode()
    workflow.submit(product, actor=world.authorised_user)
    # The submitter may not publish their own submission.
    with pytest.raises(PermissionDenied):
        workflow.publish(product, actor=world.authorised_user)
    with django_capture_on_commit_callbacks(execute=True):
        published = workflow.publish(product, actor=world.focal_point)
    assert published.live and published.first_published_at is not None
    assert "Border inspectors trained to spot invasive plants" in client.get(page).content.decode()
    assert product.identifier in client.get("/en/knowledge/").content.decode()


def test_a_change_to_a_published_product_waits_for_review(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    product = services.create(actor=world.authorised_user, owner=world.kenya, values=product_values())
    workflow.submit(product, actor=world.authorised_user)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(product, actor=world.focal_point)
    workflow.save_draft(
        product, actor=world.authorised_user, values={"title": {"en": "A new title"}}, base_revision=None
    )
    page = client.get(f"/en/knowledge/{product.identifier}/").content.decode()
    assert "Border inspectors trained to spot invasive plants" in page and "A new title" not in page
    assert Knowledge.objects.get(pk=product.pk).title == {
        "en": "Border inspectors trained to spot invasive plants"
    }
