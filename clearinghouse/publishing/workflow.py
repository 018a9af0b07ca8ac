"""The publishing workflow: draft → submitted → published, or submitted → returned → draft;
published → archived. Each step checks who may take it, records a revision, and notifies the
people concerned. Views and the API call these; so do the tests and the demo data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.core.detection import detect_language
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import identifiers, notifications, origins, snapshots
from clearinghouse.publishing.models import Record, Revision, State
from clearinghouse.publishing.signals import announce_change, record_published

R = TypeVar("R", bound=Record)


class ConflictError(ValidationError):
    """Someone else saved the record since this person opened it."""


def _check(actor: User | None, permission: str, record: Record, message: str) -> None:
    # None is the platform itself (imports, demo data). Asked about the record, not its owner,
    # so the rules also admit the person the record is about (an expert's own profile).
    if actor is not None and not actor.has_perm(permission, record):
        raise PermissionDenied(message)


def _revisions(record: Record) -> QuerySet[Revision]:
    from django.contrib.contenttypes.models import ContentType

    return Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    )


def latest_revision(record: Record) -> Revision | None:
    return (
        _revisions(record).filter(number=record.revision_number).first() if record.revision_number else None
    )


def _latest(record: Record) -> Revision:
    found = latest_revision(record)
    if found is None:
        raise ValueError(f"{record.identifier} has no revision")
    return found


def revision(record: Record, number: int) -> Revision | None:
    return _revisions(record).filter(number=number).first()


def revisions(record: Record) -> list[Revision]:
    return list(_revisions(record).select_related("created_by", "reviewed_by").order_by("-number"))


def working_copy(record: R) -> tuple[R, dict[str, list[int]]]:
    """The record as its latest revision has it (what an editor should see), and its
    many-to-many values. For a record never changed since publication that is the row itself."""
    copy = type(record)._default_manager.get(pk=record.pk)
    # The row read now knows the latest revision; the object passed in may be older than it.
    latest = latest_revision(copy)
    many = snapshots.apply(copy, latest.content) if latest else {}
    return copy, many


def _save_revision(record: Record, content: dict[str, Any], actor: User | None, note: str) -> Revision:
    from django.contrib.contenttypes.models import ContentType

    record.revision_number += 1
    return Revision.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        number=record.revision_number,
        content=content,
        note=note[:300],
        created_by=actor,
    )


def _split(record: Record, values: Mapping[str, Any]) -> dict[str, list[int]]:
    """Set plain values on the record; return many-to-many ones as id lists."""
    many: dict[str, list[int]] = {}
    for name, value in values.items():
        if name not in record.CONTENT_FIELDS:
            raise ValueError(f"{name} is not a content field of {type(record).__name__}")
        field = record._meta.get_field(name)
        if field.many_to_many:
            many[name] = sorted(item.pk if hasattr(item, "pk") else int(item) for item in value)
        else:
            setattr(record, name, value)
    return many


def _detected_language(record: Record) -> str:
    """The language of the record's own text, when the author did not say."""
    texts = [
        text
        for name in record.CONTENT_FIELDS
        if isinstance(record._meta.get_field(name), models.JSONField)
        and isinstance(value := getattr(record, name), dict)
        for text in value.values()
        if isinstance(text, str)
    ]
    return detect_language(" ".join(texts)) or ""


@transaction.atomic
def create(
    model: type[R],
    *,
    actor: User | None,
    owner: Country | Organisation,
    values: Mapping[str, Any],
    note: str = "",
) -> R:
    """A new draft record for ``owner``, with its identifier and first revision."""
    record = model()
    if isinstance(owner, Country):
        record.owner_country = owner
    else:
        record.owner_organisation = owner
    _check(actor, "records.draft", record, _("You cannot create records for this Party or organisation."))
    many = _split(record, values)
    if not record.original_language:
        record.original_language = _detected_language(record)
    record.created_by = actor
    record.full_clean(exclude=["identifier"])
    record.identifier = identifiers.next_identifier(model.RECORD_TYPE, owner)
    record.save()
    snapshots.save_many(record, many)
    _save_revision(record, snapshots.snapshot(record, many), actor, note)
    record.save(update_fields=["revision_number"])
    return record


@transaction.atomic
def save_draft(
    record: R,
    *,
    actor: User | None,
    values: Mapping[str, Any],
    base_revision: int | None,
    note: str = "",
) -> Revision:
    """Save a change as a new draft revision.

    ``base_revision`` is the revision the person started from: if someone saved in between, the
    change is refused (reload, then edit again) rather than silently overwriting theirs.
    A change to a published record waits in its revision; the public row stays as published.
    """
    record = type(record)._default_manager.select_for_update().get(pk=record.pk)
    origins.refuse_change(record, actor)
    _check(actor, "records.draft", record, _("You cannot change this record."))
    if record.state == State.ARCHIVED:
        raise ValidationError(_("This record is archived; it cannot be changed."), code="archived")
    if record.state == State.SUBMITTED:
        raise ValidationError(
            _("This record is waiting for review; it cannot be changed until it is published or returned."),
            code="in_review",
        )
    if base_revision is not None and base_revision != record.revision_number:
        raise ConflictError(
            _("Someone else saved this record while you were editing it. Reload it to see their changes."),
            code="conflict",
        )
    working, many = working_copy(record)
    many |= _split(working, values)
    working.full_clean(exclude=["identifier"])
    content = snapshots.snapshot(working, many)
    if not record.live:
        # Never published: the row is the draft.
        snapshots.apply(record, content)
        snapshots.save_many(record, many)
    saved = _save_revision(record, content, actor, note)
    record.state = State.DRAFT
    record.save()
    return saved


@transaction.atomic
def submit(record: Record, *, actor: User | None) -> Revision:
    record = type(record)._default_manager.select_for_update().get(pk=record.pk)
    origins.refuse_change(record, actor)
    _check(actor, "records.submit", record, _("You cannot submit this record."))
    if record.state not in {State.DRAFT, State.RETURNED}:
        raise ValidationError(_("Only a draft can be submitted for review."), code="not_draft")
    latest = _latest(record)
    problems = record.submission_problems(latest.content)
    if problems:
        raise ValidationError(problems, code="incomplete")
    latest.status = Revision.Status.SUBMITTED
    latest.submitted_by = actor
    latest.save(update_fields=["status", "submitted_by"])
    record.state = State.SUBMITTED
    record.submitted_at = timezone.now()
    record.save(update_fields=["state", "submitted_at"])
    notifications.after_commit(notifications.submitted, record, latest)
    return latest


def _reviewable(record: Record, actor: User | None, permission: str) -> Revision:
    _check(actor, permission, record, _("Only the reviewers of this Party or organisation can do this."))
    if record.state != State.SUBMITTED:
        raise ValidationError(_("This record is not waiting for review."), code="not_submitted")
    return _latest(record)


@transaction.atomic
def publish(record: R, *, actor: User | None) -> R:
    """Make the submitted revision public."""
    record = type(record)._default_manager.select_for_update().get(pk=record.pk)
    origins.refuse_change(record, actor)
    latest = _reviewable(record, actor, "records.publish")
    if actor is not None and latest.submitted_by_id == actor.pk:
        raise PermissionDenied(_("You submitted this record; another reviewer must publish it."))
    many = snapshots.apply(record, latest.content)
    snapshots.save_many(record, many)
    now = timezone.now()
    _revisions(record).filter(status=Revision.Status.PUBLISHED).update(status=Revision.Status.SUPERSEDED)
    latest.status = Revision.Status.PUBLISHED
    latest.reviewed_by, latest.reviewed_at = actor, now
    latest.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    record.state = State.PUBLISHED
    record.live = True
    record.live_revision_number = latest.number
    record.first_published_at = record.first_published_at or now
    record.last_published_at = now
    record.on_publish(now)
    record.save()
    notifications.after_commit(notifications.published, record, latest)
    transaction.on_commit(lambda: record_published.send(type(record), record=record))
    announce_change(type(record), [record.identifier])
    return record


@transaction.atomic
def return_for_changes(record: Record, *, actor: User | None, comment: str) -> Revision:
    """Send the submitted revision back to its authors with the reviewer's comments."""
    record = type(record)._default_manager.select_for_update().get(pk=record.pk)
    origins.refuse_change(record, actor)
    latest = _reviewable(record, actor, "records.review")
    if not comment.strip():
        raise ValidationError({"comment": _("Tell the authors what to change.")}, code="comment_required")
    latest.status = Revision.Status.RETURNED
    latest.review_comment = comment.strip()
    latest.reviewed_by, latest.reviewed_at = actor, timezone.now()
    latest.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    record.state = State.RETURNED
    record.save(update_fields=["state"])
    notifications.after_commit(notifications.returned, record, latest)
    return latest


@transaction.atomic
def archive(record: R, *, actor: User | None) -> R:
    """Withdraw a published record from public view. It is kept, never deleted."""
    record = type(record)._default_manager.select_for_update().get(pk=record.pk)
    origins.refuse_change(record, actor)
    if actor is not None and not (
        actor.has_perm("records.publish", record.owner) or actor.has_perm("records.submit", record.owner)
    ):
        raise PermissionDenied(_("You cannot archive this record."))
    if not record.live:
        raise ValidationError(_("Only a published record can be archived."), code="not_published")
    record.live = False
    record.state = State.ARCHIVED
    record.archived_at = timezone.now()
    record.save(update_fields=["live", "state", "archived_at"])
    announce_change(type(record), [record.identifier])
    return record


@transaction.atomic
def republish(record: R, *, actor: User | None) -> R:
    """Bring an archived record back into public view, as it was published. Its reviewers
    decide: whoever archived it (an author, say) asks them, so a withdrawal is never final by
    mistake and never undone by the person a reviewer withdrew it from."""
    record = type(record)._default_manager.select_for_update().get(pk=record.pk)
    origins.refuse_change(record, actor)
    _check(
        actor, "records.publish", record, _("Only the reviewers of this Party or organisation can do this.")
    )
    if record.state != State.ARCHIVED:
        raise ValidationError(_("Only an archived record can be published again."), code="not_archived")
    if not record.live_revision_number:
        raise ValidationError(_("This record was never published."), code="never_published")
    record.live = True
    record.state = State.PUBLISHED
    record.archived_at = None
    record.last_published_at = timezone.now()
    record.save(update_fields=["live", "state", "archived_at", "last_published_at"])
    announce_change(type(record), [record.identifier])
    return record


@transaction.atomic
def restore(record: Record, *, actor: User | None, number: int) -> Revision:
    """Bring back an earlier revision's content as a new draft revision."""
    old = revision(record, number)
    if old is None:
        raise ValidationError(_("There is no revision %(number)d.") % {"number": number}, code="no_revision")
    record = type(record)._default_manager.get(pk=record.pk)
    working = type(record)()
    many = snapshots.apply(working, old.content)
    values: dict[str, Any] = {
        name: getattr(working, name) for name in record.CONTENT_FIELDS if name not in many
    }
    values |= many
    return save_draft(
        record,
        actor=actor,
        values=values,
        base_revision=record.revision_number,
        note=_("Restored from revision %(number)d") % {"number": number},
    )


def _with_texts(content: Mapping[str, Any], language: str, texts: Mapping[str, str]) -> dict[str, Any]:
    changed = dict(content)
    for name, text in texts.items():
        changed[name] = {**(changed.get(name) or {}), language: text}
    return changed


@transaction.atomic
def publish_translation(
    record: R, *, actor: User | None, language: str, texts: Mapping[str, str], note: str
) -> Revision:
    """Publish texts of a public record in one more language, reviewed outside the owner's
    workflow (a translation request's reviewer checked them; ``actor`` is that reviewer).

    The published revision is the live content with these texts added, saved as a revision of
    its own; the public row changes only in those texts. An owner's pending change (draft,
    submitted or returned) is kept: it is carried forward as the latest revision, in its state,
    with the new texts added where it had not changed that language's text itself, so that
    publishing it later does not take the translation away.
    """
    record = type(record)._default_manager.select_for_update().get(pk=record.pk)
    origins.refuse_change(record, actor)
    if not record.live or record.live_revision_number is None:
        raise ValidationError(_("Only a published record can receive a translation."), code="not_published")
    live = revision(record, record.live_revision_number)
    if live is None:
        raise ValueError(f"{record.identifier} has no published revision")
    pending = _latest(record) if record.has_pending_changes else None
    working = type(record)._default_manager.get(pk=record.pk)
    many = snapshots.apply(working, _with_texts(live.content, language, texts))
    working.full_clean(exclude=["identifier"])
    content = snapshots.snapshot(working, many)
    cleaned = {name: (content.get(name) or {}).get(language, "") for name in texts}
    now = timezone.now()
    _revisions(record).filter(status=Revision.Status.PUBLISHED).update(status=Revision.Status.SUPERSEDED)
    published = _save_revision(record, content, actor, note)
    published.status = Revision.Status.PUBLISHED
    published.submitted_by = actor
    published.reviewed_by, published.reviewed_at = actor, now
    published.save(update_fields=["status", "submitted_by", "reviewed_by", "reviewed_at"])
    for name in texts:
        setattr(record, name, content[name])
    record.live_revision_number = published.number
    record.last_published_at = now
    if pending is not None:
        carried = dict(pending.content)
        for name, text in cleaned.items():
            theirs = (carried.get(name) or {}).get(language, "")
            before = (live.content.get(name) or {}).get(language, "")
            if theirs == before:
                carried[name] = {**(carried.get(name) or {}), language: text} if text else carried.get(name)
        copy = _save_revision(record, carried, pending.created_by, pending.note)
        copy.status, copy.submitted_by, copy.review_comment = (
            pending.status,
            pending.submitted_by,
            pending.review_comment,
        )
        copy.save(update_fields=["status", "submitted_by", "review_comment"])
    record.save()
    announce_change(type(record), [record.identifier])
    return published
