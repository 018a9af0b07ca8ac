"""Every record type is registered, submitted, reviewed, published, listed and served by the API."""

from __future__ import annotations

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import State
from clearinghouse.search.records import document
from clearinghouse.support.models import RECORD_MODELS, Offer, SupportRecord
from clearinghouse.support.tests.factories import draft, published
from clearinghouse.support.tests.samples import sample

pytestmark = pytest.mark.usefixtures("vocabularies")


@pytest.mark.parametrize("model", RECORD_MODELS, ids=lambda model: model.__name__)
def test_each_type_is_created_reviewed_published_listed_and_in_the_api(
    model: type[SupportRecord], world: World, client: Client
) -> None:
    record = draft(model, world, sample(model, world))
    assert record.identifier.startswith(f"CB-{model.RECORD_TYPE}-KE-")
    assert record.state == State.DRAFT and not record.live

    # The public sees nothing of a draft: neither its page nor its API entry.
    assert client.get(record.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/{model.SLUG}/{record.identifier}/").status_code == 404

    workflow.submit(record, actor=world.authorised_user)
    workflow.return_for_changes(record, actor=world.focal_point, comment="Add the dates.")
    record.refresh_from_db()
    assert record.state == State.RETURNED
    workflow.submit(record, actor=world.authorised_user)
    workflow.publish(record, actor=world.focal_point)
    record.refresh_from_db()
    assert record.live and record.state == State.PUBLISHED

    page = client.get(record.get_absolute_url())
    assert page.status_code == 200
    assert str(record.title["en"]) in page.content.decode()
    listing = client.get(f"/en/support/{model.SLUG}/").content.decode()
    assert record.identifier in listing
    body = client.get(f"/api/v1/{model.SLUG}/").json()
    assert [item["identifier"] for item in body["results"]] == [record.identifier]
    assert body["results"][0]["stale"] is False
    assert document(record).record_type == model._meta.model_name


def test_a_record_without_its_required_fields_cannot_be_submitted(world: World) -> None:
    record = draft(Offer, world, {"title": "Half an offer"})
    with pytest.raises(Exception, match="Fill in before submitting"):
        workflow.submit(record, actor=world.authorised_user)


def test_another_partys_focal_point_cannot_change_or_publish_kenyan_records(
    world: World, client: Client
) -> None:
    record = draft(Offer, world, sample(Offer, world))
    client.force_login(world.other_focal_point)
    assert client.get(f"/en/support/edit/{record.identifier}/").status_code == 403
    response = client.post(
        f"/en/support/edit/{record.identifier}/", {"title": "Taken over", "action": "save"}
    )
    assert response.status_code == 403
    workflow.submit(record, actor=world.authorised_user)
    with pytest.raises(Exception, match="reviewers"):
        workflow.publish(record, actor=world.other_focal_point)
    record.refresh_from_db()
    assert record.title == {"en": sample(Offer, world)["title"]} and not record.live


def test_an_edit_of_a_published_record_waits_for_review(world: World, client: Client) -> None:
    record = published(Offer, world, sample(Offer, world))
    client.force_login(world.authorised_user)
    response = client.post(
        f"/en/support/edit/{record.identifier}/",
        {
            "title": "A new title",
            "description": "New.",
            "action": "save",
            "base_revision": record.revision_number,
        },
    )
    assert response.status_code == 302
    client.logout()
    # The public keeps seeing what was published until the change is published too.
    assert "A new title" not in client.get(record.get_absolute_url()).content.decode()
