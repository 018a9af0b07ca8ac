"""Mentoring through its services: who may mentor, the period asked for, one open relation per
pair, every step allowed to the right person from the right state and refused otherwise, and
ratings given once, only when it is over."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clearinghouse.community import mentoring
from clearinghouse.community.models import Alumnus, Consent, MentoringStatus, Mentorship
from clearinghouse.core.testing import World
from clearinghouse.vocabularies.models import Term, Vocabulary

from .mentoring_factories import alumnus_mentor, asked, expert_mentor, period, under_way


def code(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    """Every code the refusal carries (field errors included)."""
    value = error.value
    if hasattr(value, "error_dict"):
        return {item.code or "" for items in value.error_dict.values() for item in items}
    return {item.code or "" for item in value.error_list}


@pytest.fixture
def mentor(world: World) -> Any:
    alumnus_mentor(world.trainer)
    return world.trainer


def test_consenting_alumni_and_experts_with_a_live_profile_may_mentor(world: World) -> None:
    alumnus_mentor(world.trainer)
    alumnus_mentor(world.learner, consent=Consent.ASKED)
    expert_mentor(world, world.partner_editor)
    expert_mentor(world, world.iplc_representative, live=False)
    assert mentoring.can_mentor(world.trainer)
    assert mentoring.can_mentor(world.partner_editor)
    # Not without consent, not from a draft profile, not just anyone.
    assert not mentoring.can_mentor(world.learner)
    assert not mentoring.can_mentor(world.iplc_representative)
    assert not mentoring.can_mentor(world.outsider)


def test_asking_someone_who_does_not_mentor_or_oneself_is_refused(world: World, mentor: Any) -> None:
    with pytest.raises(ValidationError) as error:
        asked(world.learner, world.outsider)
    assert code(error) == {"not_a_mentor"}
    with pytest.raises(ValidationError) as error:
        asked(mentor, mentor)
    assert code(error) == {"self"}
    assert not Mentorship.objects.exists()


@pytest.mark.parametrize(
    ("start_in_days", "days", "refusal"),
    [
        (-1, 30, "past"),
        (3, 0, "period"),
        (3, -5, "period"),
        (3, 400, "too_long"),
    ],
)
def test_the_period_starts_today_or_later_ends_after_and_lasts_a_year_at_most(
    world: World, mentor: Any, start_in_days: int, days: int, refusal: str
) -> None:
    starts, ends = period(start_in_days, days)
    with pytest.raises(ValidationError) as error:
        mentoring.ask(world.learner, mentor, topic="Red List", request="Help", starts_on=starts, ends_on=ends)
    assert code(error) == {refusal}


def test_a_twelve_month_period_from_today_is_accepted(world: World, mentor: Any) -> None:
    today = timezone.localdate()
    relation = mentoring.ask(
        world.learner,
        mentor,
        topic="Red List",
        request="Help",
        starts_on=today,
        ends_on=mentoring.months_later(today, 12),
    )
    assert relation.status == MentoringStatus.PENDING


def test_a_subject_must_be_a_term_of_the_subjects_vocabulary(world: World, mentor: Any) -> None:
    subjects = Vocabulary.objects.create(name="subjects")
    other = Vocabulary.objects.create(name="support-types")
    abs_term = Term.objects.create(vocabulary=subjects, code="SUBJ-ABS", labels={"en": "ABS"})
    training = Term.objects.create(vocabulary=other, code="training", labels={"en": "Training"})
    starts, ends = period()
    with pytest.raises(ValidationError) as error:
        mentoring.ask(
            world.learner,
            mentor,
            topic="ABS",
            request="Help",
            starts_on=starts,
            ends_on=ends,
            subject=training,
        )
    assert code(error) == {"subject"}
    relation = mentoring.ask(
        world.learner, mentor, topic="ABS", request="Help", starts_on=starts, ends_on=ends, subject=abs_term
    )
    assert relation.subject == abs_term


def test_empty_topic_and_request_are_refused(world: World, mentor: Any) -> None:
    starts, ends = period()
    with pytest.raises(ValidationError) as error:
        mentoring.ask(world.learner, mentor, topic="  ", request="Help", starts_on=starts, ends_on=ends)
    assert code(error) == {"required"}
    with pytest.raises(ValidationError):
        mentoring.ask(world.learner, mentor, topic="ABS", request="", starts_on=starts, ends_on=ends)


def test_one_open_relation_per_pair_said_in_words_and_held_by_the_database(world: World, mentor: Any) -> None:
    first = asked(world.learner, mentor)
    with pytest.raises(ValidationError) as error:
        asked(world.learner, mentor, topic="Another topic")
    assert code(error) == {"one_open"}
    # The database holds it even past the service.
    starts, ends = period()
    with pytest.raises(IntegrityError), transaction.atomic():
        Mentorship.objects.create(
            mentee=world.learner, mentor=mentor, topic="x", request="x", starts_on=starts, ends_on=ends
        )
    # Once the first is over, a new request may be made.
    mentoring.decline(first, mentor)
    assert asked(world.learner, mentor).status == MentoringStatus.PENDING


def test_the_way_through_accept_start_note_complete_rate(world: World, mentor: Any) -> None:
    relation = mentoring.accept(asked(world.learner, mentor), mentor)
    assert relation.status == MentoringStatus.ACCEPTED and relation.answered_at
    relation = mentoring.start(relation, mentor, "Finish the permit template.")
    assert relation.status == MentoringStatus.ACTIVE and relation.started_at and relation.goals
    mentoring.note(relation, world.learner, "First draft shared.")
    mentoring.note(relation, mentor, "Comments sent back.")
    relation = mentoring.complete(relation, world.learner)
    assert relation.status == MentoringStatus.COMPLETED and relation.finished_at
    mentoring.rate(relation, world.learner, 5, "Very helpful.")
    relation = mentoring.rate(relation, mentor, 4)
    assert (relation.mentee_rating, relation.mentor_rating) == (5, 4)
    assert relation.mentee_comment == "Very helpful."
    assert relation.notes.count() == 2


def test_accepting_starting_noting_and_completing_mark_both_alumni_active(world: World, mentor: Any) -> None:
    alumnus_mentor(world.learner)
    relation = under_way(world.learner, mentor)
    assert Alumnus.objects.filter(last_active_at__isnull=False).count() == 2
    Alumnus.objects.update(last_active_at=timezone.now() - timedelta(days=200))
    mentoring.complete(relation, mentor)
    assert not Alumnus.objects.filter(last_active_at__lt=timezone.now() - timedelta(days=1)).exists()


def test_only_the_mentor_answers_a_request(world: World, mentor: Any) -> None:
    relation = asked(world.learner, mentor)
    for step in (mentoring.accept, mentoring.decline):
        with pytest.raises(ValidationError) as error:
            step(relation, world.learner)
        assert code(error) == {"not_the_mentor"}
        with pytest.raises(ValidationError) as error:
            step(relation, world.outsider)
        assert code(error) == {"not_a_party"}
    relation = mentoring.decline(relation, mentor, "I am travelling until December.")
    assert relation.status == MentoringStatus.DECLINED and relation.decline_reason


def test_only_the_mentee_withdraws_a_pending_request_and_it_ends_with_a_reason(
    world: World, mentor: Any
) -> None:
    relation = asked(world.learner, mentor)
    with pytest.raises(ValidationError) as error:
        mentoring.withdraw(relation, mentor)
    assert code(error) == {"not_the_mentee"}
    relation = mentoring.withdraw(relation, world.learner)
    assert relation.status == MentoringStatus.ENDED and relation.end_reason
    with pytest.raises(ValidationError) as error:
        mentoring.withdraw(relation, world.learner)
    assert code(error) == {"wrong_state"}


def test_steps_from_the_wrong_state_are_refused(world: World, mentor: Any) -> None:
    relation = asked(world.learner, mentor)
    refused = [
        lambda: mentoring.start(relation, mentor, "Goals"),
        lambda: mentoring.note(relation, mentor, "Note"),
        lambda: mentoring.complete(relation, mentor),
        lambda: mentoring.end(relation, mentor, "Reason"),
        lambda: mentoring.revise_goals(relation, mentor, "Goals"),
    ]
    for step in refused:
        with pytest.raises(ValidationError) as error:
            step()
        assert code(error) == {"wrong_state"}
    relation = mentoring.accept(relation, mentor)
    with pytest.raises(ValidationError) as error:
        mentoring.accept(relation, mentor)
    assert code(error) == {"wrong_state"}
    with pytest.raises(ValidationError) as error:
        mentoring.note(relation, mentor, "Before the goals")
    assert code(error) == {"wrong_state"}
    relation = mentoring.start(relation, world.learner, "Goals")
    relation = mentoring.complete(relation, mentor)
    for step in (
        lambda: mentoring.complete(relation, mentor),
        lambda: mentoring.note(relation, mentor, "Too late"),
        lambda: mentoring.end(relation, mentor, "Too late"),
    ):
        with pytest.raises(ValidationError) as error:
            step()
        assert code(error) == {"wrong_state"}


def test_a_third_person_can_take_no_step(world: World, mentor: Any) -> None:
    relation = under_way(world.learner, mentor)
    for step in (
        lambda: mentoring.note(relation, world.secretariat, "Watching"),
        lambda: mentoring.complete(relation, world.outsider),
        lambda: mentoring.end(relation, world.outsider, "No"),
        lambda: mentoring.revise_goals(relation, world.outsider, "Mine"),
    ):
        with pytest.raises(ValidationError) as error:
            step()
        assert code(error) == {"not_a_party"}
    assert relation.notes.count() == 0


def test_ending_early_needs_a_reason_and_either_side_may_do_it(world: World, mentor: Any) -> None:
    relation = under_way(world.learner, mentor)
    with pytest.raises(ValidationError) as error:
        mentoring.end(relation, mentor, "   ")
    assert code(error) == {"required"}
    relation = mentoring.end(relation, mentor, "I changed post and have no time left.")
    assert relation.status == MentoringStatus.ENDED and relation.finished_at


def test_ratings_only_once_it_is_over_once_per_side_and_never_changed(world: World, mentor: Any) -> None:
    relation = under_way(world.learner, mentor)
    with pytest.raises(ValidationError) as error:
        mentoring.rate(relation, world.learner, 5)
    assert code(error) == {"still_open"}
    relation = mentoring.end(relation, world.learner, "The project was cancelled.")
    for bad in (0, 6):
        with pytest.raises(ValidationError) as error:
            mentoring.rate(relation, world.learner, bad)
        assert code(error) == {"rating"}
    with pytest.raises(ValidationError) as error:
        mentoring.rate(relation, world.outsider, 3)
    assert code(error) == {"not_a_party"}
    mentoring.rate(relation, world.learner, 3)
    with pytest.raises(ValidationError) as error:
        mentoring.rate(relation, world.learner, 5)
    assert code(error) == {"rated"}
    relation.refresh_from_db()
    assert relation.mentee_rating == 3 and relation.mentor_rating is None


def test_a_request_withdrawn_or_declined_has_nothing_to_rate(world: World, mentor: Any) -> None:
    withdrawn = mentoring.withdraw(asked(world.learner, mentor), world.learner)
    with pytest.raises(ValidationError) as error:
        mentoring.rate(withdrawn, mentor, 4)
    assert code(error) == {"never_started"}
    declined = mentoring.decline(asked(world.learner, mentor), mentor)
    with pytest.raises(ValidationError) as error:
        mentoring.rate(declined, world.learner, 4)
    assert code(error) == {"never_started"}


def test_a_flood_of_requests_is_rate_limited(world: World, settings: Any) -> None:
    settings.COMMUNITY_MENTORING_ASKS_PER_WINDOW = 2
    for person in (world.trainer, world.partner_editor, world.iplc_representative):
        alumnus_mentor(person)
    asked(world.learner, world.trainer)
    asked(world.learner, world.partner_editor)
    with pytest.raises(ValidationError) as error:
        asked(world.learner, world.iplc_representative)
    assert code(error) == {"rate_limited"}


def test_the_mentors_name_shows_as_they_allow_it_until_they_accept(world: World) -> None:
    alumnus_mentor(world.trainer, in_directory=False)
    relation = asked(world.learner, world.trainer)
    assert mentoring.public_name(world.trainer) == ""
    assert world.trainer.last_name not in mentoring.name_for(relation, world.learner, world.trainer)
    # The mentee gave their name by asking.
    assert mentoring.name_for(relation, world.trainer, world.learner) == world.learner.get_full_name()
    mentoring.accept(relation, world.trainer)
    relation.refresh_from_db()
    assert mentoring.name_for(relation, world.learner, world.trainer) == world.trainer.get_full_name()
