"""The Secretariat keeps standards and checklist templates in versions: a draft copied from the
version in force is edited in six languages, its criteria or steps added, changed, moved and
removed, and put in force (the previous version retires). A version in force is never edited,
and only the Secretariat edits."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clearinghouse.quality import standards
from clearinghouse.quality.models import (
    ChecklistTemplate,
    Criterion,
    Review,
    Scale,
    Standard,
    TemplateStep,
    VersionStatus,
)

pytestmark = pytest.mark.django_db

GROUP = {"en": "Delivery", "fr": "Déroulement"}
TEXT = {"en": "Breaks are long enough for people to talk.", "ar": "فترات الاستراحة كافية للحديث."}


@pytest.fixture
def loaded() -> None:
    standards.load()


def _in_force(code: str) -> Standard:
    return Standard.objects.get(code=code, status=VersionStatus.IN_FORCE)


def test_a_draft_copies_the_version_in_force_and_changes_nothing_until_put_in_force(
    world: Any, loaded: None
) -> None:
    current = _in_force("training-events")
    draft = standards.start_draft(world.secretariat, current)
    assert (draft.version, draft.status, draft.created_by) == (2, VersionStatus.DRAFT, world.secretariat)
    assert standards.content_of(draft) == standards.content_of(current)
    standards.edit_draft(
        world.secretariat,
        draft,
        title={**current.title, "en": "Training events (2027)"},
        summary=current.summary,
        min_reviews=3,
        max_rounds=4,
        anonymous_reviews=False,
    )
    added = standards.save_part(
        world.secretariat, draft, group=GROUP, text=TEXT, guidance={}, scale=Scale.YES_NO
    )
    assert isinstance(added, Criterion) and added.position == 9
    # Until it is put in force, the version in force is the one reviews use.
    assert list(standards.standards_in_force("event")) == [current]

    standards.put_in_force(world.secretariat, draft)
    current.refresh_from_db()
    draft.refresh_from_db()
    assert current.status == VersionStatus.RETIRED
    assert draft.status == VersionStatus.IN_FORCE and draft.put_in_force_at is not None
    assert (draft.min_reviews, draft.max_rounds, draft.anonymous_reviews) == (3, 4, False)
    assert draft.title["en"] == "Training events (2027)" and draft.title["ar"] == current.title["ar"]
    # The retired version keeps its eight criteria.
    assert current.criteria.count() == 8 and draft.criteria.count() == 9


def test_a_version_in_force_or_retired_is_never_edited(world: Any, loaded: None) -> None:
    current = _in_force("courses")
    criterion = current.criteria.first()
    assert criterion is not None
    with pytest.raises(ValidationError, match="only a draft is edited"):
        standards.edit_draft(world.secretariat, current, title={"en": "Changed"}, summary={})
    with pytest.raises(ValidationError, match="only a draft is edited"):
        standards.save_part(world.secretariat, current, criterion, group=GROUP, text=TEXT, scale=Scale.RATING)
    with pytest.raises(ValidationError, match="only a draft is edited"):
        standards.remove_part(world.secretariat, criterion)
    with pytest.raises(ValidationError, match="only a draft is edited"):
        standards.move_part(world.secretariat, criterion, 1)
    with pytest.raises(ValidationError, match="only a draft is edited"):
        standards.put_in_force(world.secretariat, current)
    draft = standards.start_draft(world.secretariat, current)
    standards.put_in_force(world.secretariat, draft)
    current.refresh_from_db()
    with pytest.raises(ValidationError, match="only a draft is edited"):
        standards.edit_draft(world.secretariat, current, title={"en": "Changed"}, summary={})
    assert current.title["en"] == "Quality standard for courses"


def test_one_draft_at_a_time_and_only_from_the_version_in_force(world: Any, loaded: None) -> None:
    current = _in_force("courses")
    draft = standards.start_draft(world.secretariat, current)
    with pytest.raises(ValidationError, match="already being drafted"):
        standards.start_draft(world.secretariat, current)
    standards.discard_draft(world.secretariat, draft)
    assert not Standard.objects.filter(pk=draft.pk).exists()
    assert standards.start_draft(world.secretariat, current).version == 2


@pytest.mark.parametrize("who", ["helpdesk_agent", "focal_point", "outsider"])
def test_only_the_secretariat_edits_standards(world: Any, loaded: None, who: str) -> None:
    person = getattr(world, who)
    current = _in_force("guidance-materials")
    with pytest.raises(PermissionDenied):
        standards.start_draft(person, current)
    draft = standards.start_draft(world.secretariat, current)
    for attempt in (
        lambda: standards.edit_draft(person, draft, title={"en": "Mine"}, summary={}),
        lambda: standards.save_part(person, draft, group=GROUP, text=TEXT, scale=Scale.RATING),
        lambda: standards.put_in_force(person, draft),
        lambda: standards.discard_draft(person, draft),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT and draft.title == current.title


def test_texts_in_the_original_language_are_required_and_the_scale_must_be_known(
    world: Any, loaded: None
) -> None:
    draft = standards.start_draft(world.secretariat, _in_force("provider-offers"))
    with pytest.raises(ValidationError) as refused:
        standards.edit_draft(world.secretariat, draft, title={"fr": "Offres"}, summary={})
    assert "title" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        standards.save_part(world.secretariat, draft, group=GROUP, text={"fr": "Texte"}, scale=Scale.RATING)
    assert "text" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        standards.save_part(world.secretariat, draft, group=GROUP, text=TEXT, scale="stars")
    assert "scale" in refused.value.message_dict
    with pytest.raises(ValidationError):
        standards.edit_draft(world.secretariat, draft, title={"en": "Offers"}, summary={}, max_rounds=9)
    assert draft.criteria.count() == 6


def test_criteria_are_moved_and_removed_and_keep_positions_in_order(world: Any, loaded: None) -> None:
    draft = standards.start_draft(world.secretariat, _in_force("provider-offers"))
    first, second, *_rest, last = list(draft.criteria.order_by("position"))
    standards.move_part(world.secretariat, second, -1)
    assert list(draft.criteria.order_by("position").values_list("pk", flat=True))[:2] == [second.pk, first.pk]
    with pytest.raises(ValidationError, match="first or last place"):
        standards.move_part(world.secretariat, Criterion.objects.get(pk=second.pk), -1)
    with pytest.raises(ValidationError, match="first or last place"):
        standards.move_part(world.secretariat, last, 1)
    standards.remove_part(world.secretariat, Criterion.objects.get(pk=first.pk))
    assert list(draft.criteria.order_by("position").values_list("position", flat=True)) == [1, 2, 3, 4, 5]


def test_a_draft_keeps_one_step_at_least(world: Any, loaded: None) -> None:
    current = ChecklistTemplate.objects.get(code="producing-course", status=VersionStatus.IN_FORCE)
    draft = standards.start_draft(world.secretariat, current)
    steps = list(draft.steps.all())
    for step in steps[:-1]:
        standards.remove_part(world.secretariat, step)
    with pytest.raises(ValidationError, match="one criterion or step at least"):
        standards.remove_part(world.secretariat, steps[-1])
    added = standards.save_part(
        world.secretariat,
        draft,
        text={"en": "Certificates signed by the Secretariat."},
        guidance={},
        evidence_required=True,
    )
    assert isinstance(added, TemplateStep) and added.evidence_required and added.position == 2
    standards.put_in_force(world.secretariat, draft)
    assert standards.templates_in_force("course").get().steps.count() == 2


def test_a_part_of_another_version_is_refused(world: Any, loaded: None) -> None:
    draft = standards.start_draft(world.secretariat, _in_force("courses"))
    other = _in_force("training-events").criteria.first()
    with pytest.raises(ValidationError, match="not part of that version"):
        standards.save_part(world.secretariat, draft, other, group=GROUP, text=TEXT, scale=Scale.RATING)


def test_criteria_are_grouped_under_their_headings_in_order(loaded: None) -> None:
    groups = standards.grouped(_in_force("training-events"))
    assert [group.texts["en"] for group in groups] == ["Design", "Delivery", "Evaluation and follow-up"]
    assert [len(group.criteria) for group in groups] == [3, 3, 2]


def test_a_draft_something_was_made_from_is_kept(world: Any, loaded: None) -> None:
    # Reviews are opened against versions in force; this guards the draft should one name it.
    draft = standards.start_draft(world.secretariat, _in_force("courses"))
    Review.objects.create(identifier="CB-COURSE-KE-000001", record_type="COURSE", standard=draft)
    with pytest.raises(ValidationError, match="it is kept"):
        standards.discard_draft(world.secretariat, draft)
    assert Standard.objects.filter(pk=draft.pk).exists()
