"""Every transition of the publishing workflow and who may take it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from clearinghouse.core.testing import World
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import Revision, State
from clearinghouse.publishing.tests.testapp.models import Note

TITLES = {"ar": "تدريب على إدارة المحميات"}


def draft(world: World, **values: Any) -> Note:
    return workflow.create(
        Note,
        actor=world.authorised_user,
        owner=world.kenya,
        values={"original_language": "ar", "title": TITLES} | values,
    )


def test_a_new_record_gets_a_stable_identifier_and_a_first_revision(world: World) -> None:
    first, second = draft(world), draft(world)
    assert (first.identifier, second.identifier) == ("CB-NOTE-KE-000001", "CB-NOTE-KE-000002")
    assert (first.state, first.live, first.revision_number) == (State.DRAFT, False, 1)
    organisation_record = workflow.create(
        Note,
        actor=world.partner_editor,
        owner=world.kenyan_ngo,
        values={"original_language": "en", "title": {"en": "x"}},
    )
    assert organisation_record.identifier == f"CB-NOTE-{world.kenyan_ngo.code}-000001"


def test_draft_submit_publish(world: World, django_capture_on_commit_callbacks: Any) -> None:
    note = draft(world)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(note, actor=world.authorised_user)
    note.refresh_from_db()
    assert note.state == State.SUBMITTED
    # Kenya's focal point is told there is something to review; the submitter that it arrived.
    assert {tuple(message.to) for message in mail.outbox} == {
        (world.focal_point.email,),
        (world.authorised_user.email,),
    }

    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(note, actor=world.focal_point)
    note.refresh_from_db()
    assert (note.state, note.live, note.live_revision_number) == (State.PUBLISHED, True, 1)
    assert note.first_published_at is not None


def test_submitted_returned_with_comments_then_draft_again(world: World) -> None:
    note = draft(world)
    workflow.submit(note, actor=world.authorised_user)
    with pytest.raises(ValidationError, match="what to change"):
        workflow.return_for_changes(note, actor=world.focal_point, comment="  ")
    workflow.return_for_changes(note, actor=world.focal_point, comment="Add the budget, please.")
    note.refresh_from_db()
    assert note.state == State.RETURNED
    assert workflow.latest_revision(note).review_comment == "Add the budget, please."  # type: ignore[union-attr]
    workflow.save_draft(note, actor=world.authorised_user, values={"year": 2027}, base_revision=1)
    note.refresh_from_db()
    assert (note.state, note.year, note.revision_number) == (State.DRAFT, 2027, 2)


def test_editing_a_published_record_keeps_the_published_version_public(world: World) -> None:
    note = draft(world, year=2026)
    workflow.submit(note, actor=world.authorised_user)
    workflow.publish(note, actor=world.focal_point)

    workflow.save_draft(note, actor=world.authorised_user, values={"year": 2030}, base_revision=1)
    note.refresh_from_db()
    assert note.year == 2026, "the public row is unchanged until the change is published"
    assert note.live and note.has_pending_changes
    copy, _many = workflow.working_copy(note)
    assert copy.year == 2030

    workflow.submit(note, actor=world.authorised_user)
    workflow.publish(note, actor=world.focal_point)
    note.refresh_from_db()
    assert (note.year, note.live_revision_number) == (2030, 2)
    statuses = {revision.number: revision.status for revision in workflow.revisions(note)}
    assert statuses == {1: Revision.Status.SUPERSEDED, 2: Revision.Status.PUBLISHED}


def test_published_records_are_archived_never_deleted(world: World) -> None:
    note = draft(world)
    with pytest.raises(ValidationError, match="Only a published record"):
        workflow.archive(note, actor=world.focal_point)
    workflow.submit(note, actor=world.authorised_user)
    workflow.publish(note, actor=world.focal_point)
    workflow.archive(note, actor=world.focal_point)
    note.refresh_from_db()
    assert (note.state, note.live) == (State.ARCHIVED, False)
    assert Note.objects.filter(pk=note.pk).exists()
    with pytest.raises(ValidationError, match="archived"):
        workflow.save_draft(note, actor=world.authorised_user, values={"year": 1}, base_revision=None)


def test_an_archived_record_is_brought_back_by_its_reviewers_only(world: World, client: Any) -> None:
    note = draft(world)
    workflow.submit(note, actor=world.authorised_user)
    workflow.publish(note, actor=world.focal_point)
    # An author may withdraw a record, not undo a withdrawal: that is the reviewers' decision.
    workflow.archive(note, actor=world.authorised_user)
    with pytest.raises(ValidationError, match="Only an archived record"):
        workflow.republish(draft(world), actor=world.focal_point)
    for outsider in (world.authorised_user, world.other_focal_point):
        with pytest.raises(PermissionDenied):
            workflow.republish(note, actor=outsider)

    client.force_login(world.focal_point)
    page = client.get(f"/en/records/{note.identifier}/").content.decode()
    assert "Publish again" in page and "Its reviewers can publish it again." in page
    response = client.post(f"/en/records/{note.identifier}/republish/")
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.state, note.live, note.archived_at, note.live_revision_number) == (
        State.PUBLISHED,
        True,
        None,
        1,
    )
    assert client.get(f"/fr/records/{note.identifier}/").status_code == 200


def test_a_submitter_cannot_approve_their_own_record(world: World) -> None:
    note = workflow.create(
        Note,
        actor=world.focal_point,
        owner=world.kenya,
        values={"original_language": "en", "title": {"en": "x"}},
    )
    workflow.submit(note, actor=world.focal_point)
    with pytest.raises(PermissionDenied, match="another reviewer"):
        workflow.publish(note, actor=world.focal_point)
    workflow.publish(note, actor=world.secretariat)


def test_a_reviewer_cannot_publish_outside_their_party(world: World) -> None:
    note = draft(world)
    workflow.submit(note, actor=world.authorised_user)
    with pytest.raises(PermissionDenied):
        workflow.publish(note, actor=world.other_focal_point)
    with pytest.raises(PermissionDenied):
        workflow.return_for_changes(note, actor=world.other_focal_point, comment="no")
    note.refresh_from_db()
    assert note.state == State.SUBMITTED


@pytest.mark.parametrize("person", ["other_focal_point", "partner_editor", "learner", "helpdesk_agent"])
def test_people_outside_the_party_cannot_draft_or_change_its_records(world: World, person: str) -> None:
    outsider = getattr(world, person)
    with pytest.raises(PermissionDenied):
        workflow.create(
            Note, actor=outsider, owner=world.kenya, values={"original_language": "en", "title": {"en": "x"}}
        )
    note = draft(world)
    with pytest.raises(PermissionDenied):
        workflow.save_draft(note, actor=outsider, values={"year": 1}, base_revision=1)
    with pytest.raises(PermissionDenied):
        workflow.submit(note, actor=outsider)


def test_an_authorised_user_cannot_publish(world: World) -> None:
    note = draft(world)
    workflow.submit(note, actor=world.authorised_user)
    with pytest.raises(PermissionDenied):
        workflow.publish(note, actor=world.authorised_user)


def test_a_record_in_review_cannot_be_edited_or_submitted_twice(world: World) -> None:
    note = draft(world)
    workflow.submit(note, actor=world.authorised_user)
    with pytest.raises(ValidationError, match="waiting for review"):
        workflow.save_draft(note, actor=world.authorised_user, values={"year": 1}, base_revision=1)
    with pytest.raises(ValidationError, match="Only a draft"):
        workflow.submit(note, actor=world.authorised_user)


def test_concurrent_edits_do_not_silently_overwrite_each_other(world: World) -> None:
    note = draft(world)
    # Two people open revision 1; the first saves.
    workflow.save_draft(note, actor=world.authorised_user, values={"year": 2027}, base_revision=1)
    with pytest.raises(workflow.ConflictError, match="Reload"):
        workflow.save_draft(note, actor=world.focal_point, values={"year": 2035}, base_revision=1)
    note.refresh_from_db()
    assert note.year == 2027


def test_the_working_copy_is_the_latest_revision_even_from_an_older_object(world: World) -> None:
    note = draft(world, year=2026)
    workflow.save_draft(note, actor=world.authorised_user, values={"year": 2027}, base_revision=1)
    stale = Note.objects.get(pk=note.pk)
    workflow.save_draft(note, actor=world.authorised_user, values={"year": 2028}, base_revision=2)
    working, _many = workflow.working_copy(stale)
    assert working.year == 2028


def test_every_save_is_a_revision_and_an_old_one_can_be_restored(world: World) -> None:
    note = draft(world, year=2026)
    workflow.save_draft(note, actor=world.authorised_user, values={"year": 2027}, base_revision=1)
    workflow.save_draft(
        note, actor=world.authorised_user, values={"title": {"ar": "عنوان جديد"}}, base_revision=2
    )
    restored = workflow.restore(note, actor=world.focal_point, number=1)
    note.refresh_from_db()
    assert restored.number == 4
    assert (note.year, note.title) == (2026, TITLES)
    assert "Restored from revision 1" in restored.note
    assert [revision.created_by for revision in workflow.revisions(note)] == [
        world.focal_point,
        world.authorised_user,
        world.authorised_user,
        world.authorised_user,
    ]


def test_invalid_content_is_refused_and_nothing_is_saved(world: World) -> None:
    note = draft(world)
    with pytest.raises(ValidationError):
        workflow.save_draft(
            note, actor=world.authorised_user, values={"original_language": "xx"}, base_revision=1
        )
    note.refresh_from_db()
    assert (note.revision_number, note.original_language) == (1, "ar")


def test_organisation_records_are_drafted_by_their_editors_and_reviewed_nationally(world: World) -> None:
    note = workflow.create(
        Note,
        actor=world.iplc_representative,
        owner=world.kenyan_iplc,
        values={"original_language": "en", "title": {"en": "Community seed bank"}},
    )
    workflow.submit(note, actor=world.iplc_representative)
    with pytest.raises(PermissionDenied):
        workflow.publish(note, actor=world.other_focal_point)
    workflow.publish(note, actor=world.focal_point)
