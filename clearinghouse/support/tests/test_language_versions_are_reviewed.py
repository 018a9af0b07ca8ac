"""A language version added to a published resource is a change like any other: it opens a draft
revision, stays with the resource's authors and reviewers, and goes public when a reviewer
publishes that revision. Until then no page, API answer, export or search document shows it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import State
from clearinghouse.support import services
from clearinghouse.support.models import Resource, ResourceVersion
from clearinghouse.support.records import resource_facts
from clearinghouse.support.tests.factories import published
from clearinghouse.support.tests.samples import blank_pdf, sample

pytestmark = pytest.mark.usefixtures("vocabularies")

PDF = blank_pdf()
LINK = "https://example.org/guide-fr-unreviewed"


def _resource(world: World) -> Resource:
    return published(Resource, world, sample(Resource, world))


def _add(world: World, resource: Resource) -> tuple[ResourceVersion, ResourceVersion]:
    upload = services.add_version(
        resource, actor=world.authorised_user, language="en", upload=SimpleUploadedFile("guide.pdf", PDF)
    )
    link = services.add_version(resource, actor=world.authorised_user, language="fr", link=LINK)
    return upload, link


def test_a_version_added_to_a_published_resource_waits_for_review(world: World, client: Client) -> None:
    resource = _resource(world)
    upload, link = _add(world, resource)
    resource.refresh_from_db()
    assert resource.live and resource.state == State.DRAFT
    assert workflow.latest_revision(resource).note == "English version added"  # type: ignore[union-attr]

    # The public: no trace of either version, and their addresses answer 404.
    page = client.get(resource.get_absolute_url()).content.decode()
    assert LINK not in page and f"/support/download/{upload.pk}/" not in page
    assert client.get(f"/en/support/download/{upload.pk}/").status_code == 404
    assert client.get(f"/en/support/download/{link.pk}/").status_code == 404
    api = client.get(f"/api/v1/resources/{resource.identifier}/").json()
    assert api["versions"] == []
    assert resource_facts(Resource.objects.get(pk=resource.pk)).languages == ()
    upload.refresh_from_db()
    assert upload.download_count == 0

    # Its authors are told, see them marked as waiting for review, and may open them (uncounted).
    client.force_login(world.authorised_user)
    response = client.post(
        f"/en/support/versions/{resource.identifier}/add/",
        {"language": "es", "link": LINK + "-es"},
        follow=True,
    )
    assert "It becomes public once a reviewer publishes the resource." in response.content.decode()
    page = client.get(resource.get_absolute_url()).content.decode()
    assert page.count("Waiting for review") == 3
    assert client.get(f"/en/support/download/{upload.pk}/").status_code == 200
    upload.refresh_from_db()
    assert upload.download_count == 0


def test_publishing_the_revision_publishes_its_versions(world: World, client: Client) -> None:
    resource = _resource(world)
    upload, link = _add(world, resource)
    services.submit(resource, actor=world.authorised_user)
    workflow.publish(resource, actor=world.focal_point)

    page = client.get(resource.get_absolute_url()).content.decode()
    assert f"/support/download/{upload.pk}/" in page and f"/support/download/{link.pk}/" in page
    assert "Waiting for review" not in page
    assert client.get(f"/en/support/download/{link.pk}/").status_code == 200
    api = client.get(f"/api/v1/resources/{resource.identifier}/").json()
    assert sorted(version["language"] for version in api["versions"]) == ["en", "fr"]
    assert resource_facts(Resource.objects.get(pk=resource.pk)).languages == ("en", "fr")


def test_a_returned_revision_keeps_its_versions_private(world: World, client: Client) -> None:
    resource = _resource(world)
    _upload, link = _add(world, resource)
    services.submit(resource, actor=world.authorised_user)
    workflow.return_for_changes(resource, actor=world.focal_point, comment="Which edition is this?")
    assert client.get(f"/en/support/download/{link.pk}/").status_code == 404


@pytest.mark.parametrize("state", ["submitted", "archived"])
def test_no_version_is_added_while_waiting_for_review_or_archived(world: World, state: str) -> None:
    resource = _resource(world)
    if state == "submitted":
        services.save_values(
            resource, actor=world.authorised_user, values={"authors": "K. W."}, base_revision=None
        )
        services.submit(resource, actor=world.authorised_user)
    else:
        workflow.archive(resource, actor=world.focal_point)
    with pytest.raises(ValidationError):
        services.add_version(resource, actor=world.authorised_user, language="fr", link=LINK)
    assert not ResourceVersion.objects.exists()


def test_a_draft_resource_publishes_its_versions_with_its_first_publication(world: World) -> None:
    from clearinghouse.support.tests.factories import draft

    resource = draft(Resource, world, sample(Resource, world))
    version = services.add_version(resource, actor=world.authorised_user, language="fr", link=LINK)
    resource.refresh_from_db()
    assert resource.revision_number == 1  # the first publication carries it: no extra revision
    services.submit(resource, actor=world.authorised_user)
    workflow.publish(resource, actor=world.focal_point)
    version.refresh_from_db()
    assert version.published_at is not None
