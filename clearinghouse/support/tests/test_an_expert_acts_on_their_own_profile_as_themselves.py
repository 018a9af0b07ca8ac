"""An expert who keeps their own profile takes each workflow step as themselves: the revision
names them, they get the acknowledgement every submitter gets, in their own language, and no
one else without a role gains anything from it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import State
from clearinghouse.support import services
from clearinghouse.support.models import Expert
from clearinghouse.support.tests.samples import sample

pytestmark = pytest.mark.usefixtures("vocabularies")


def _profile_of_the_learner(world: World) -> Expert:
    # Kenya's authorised user registers the profile; Mei (a registered user, no role) is its expert.
    return services.create(
        Expert,
        actor=world.authorised_user,
        owner=world.kenya,
        language="en",
        cleaned=sample(Expert, world),
        expert_user=world.learner,
    )


def test_the_revisions_name_the_expert_as_their_author_and_submitter(world: World) -> None:
    expert = _profile_of_the_learner(world)
    saved = services.save(
        expert, actor=world.learner, cleaned={"title": "Coral reef monitoring"}, base_revision=None
    )
    submitted = services.submit(expert, actor=world.learner)
    assert saved.pk == submitted.pk
    submitted.refresh_from_db()
    assert submitted.created_by == world.learner
    assert submitted.submitted_by == world.learner


def test_the_expert_is_told_their_profile_arrived_in_their_own_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    expert = _profile_of_the_learner(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(expert, actor=world.learner)
    to_the_expert = [message for message in mail.outbox if message.to == [world.learner.email]]
    assert len(to_the_expert) == 1, "the same acknowledgement every submitter gets"
    # Mei reads Chinese.
    assert to_the_expert[0].subject == f"已提交审核：{expert.identifier}"
    # The reviewers are told as for any other submission.
    assert any(message.to == [world.focal_point.email] for message in mail.outbox)


def test_the_expert_submits_from_the_profile_page_as_themselves(world: World, client: Client) -> None:
    expert = _profile_of_the_learner(world)
    client.force_login(world.learner)
    page = client.get(expert.get_absolute_url()).content.decode()
    submit_button = f"/records/{expert.identifier}/submit/"
    assert submit_button in page, "the publishing panel offers the expert the submit button"
    assert client.post(f"/en{submit_button}").status_code == 302
    expert.refresh_from_db()
    assert expert.state == State.SUBMITTED
    latest = workflow.latest_revision(expert)
    assert latest is not None and latest.submitted_by == world.learner


def test_someone_unrelated_still_cannot_change_or_submit_the_profile(world: World, client: Client) -> None:
    expert = _profile_of_the_learner(world)
    with pytest.raises(PermissionDenied):
        services.save(expert, actor=world.outsider, cleaned={"title": "Taken over"}, base_revision=None)
    with pytest.raises(PermissionDenied):
        services.submit(expert, actor=world.outsider)
    with pytest.raises(PermissionDenied):
        workflow.submit(expert, actor=world.outsider)
    client.force_login(world.outsider)
    assert client.post(f"/en/records/{expert.identifier}/submit/").status_code == 403
    expert.refresh_from_db()
    assert expert.state == State.DRAFT


def test_the_expert_still_cannot_publish_their_own_profile(world: World) -> None:
    expert = _profile_of_the_learner(world)
    services.submit(expert, actor=world.learner)
    with pytest.raises(PermissionDenied, match="reviewers"):
        workflow.publish(expert, actor=world.learner)
